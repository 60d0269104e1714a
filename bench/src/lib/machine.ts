/** @module What the numbers were measured on. */
import os from 'node:os'

export interface MachineInfo {
  cores: number
  cpu: string
  node: string
  platform: string
  memoryGiB: number
  /** 1-minute load average when the run started: others' work on the same cores. */
  loadAverage: number
  date: string
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus()
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
    date: new Date().toISOString(),
  }
}

export function formatMachine(m: MachineInfo): string {
  return [
    `cores: ${m.cores}  cpu: ${m.cpu}  memory: ${m.memoryGiB} GiB`,
    `node: ${m.node}  platform: ${m.platform}`,
    `date: ${m.date}  load average (1 min) at start: ${m.loadAverage}`,
  ].join('\n')
}
