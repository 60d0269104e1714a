/**
 * @module A Transport (public client option) that wraps the WebSocket one
 * and counts what arrives: how many `changes` frames and how many log
 * entries they carry, i.e. how well the server groups commits.
 */
import { websocketTransport, type Transport } from '@tandem/core'

export interface FrameCounts {
  changesFrames: number
  entries: number
  frames: number
}

export function countingTransport(counts: FrameCounts): Transport {
  const inner = websocketTransport()
  return {
    kind: inner.kind,
    connect(baseURL, handlers) {
      return inner.connect(baseURL, {
        ...handlers,
        onFrame(frame) {
          counts.frames++
          if (frame.type === 'changes') {
            counts.changesFrames++
            counts.entries += frame.entries.length
          }
          handlers.onFrame(frame)
        },
      })
    },
  }
}

export const newCounts = (): FrameCounts => ({ changesFrames: 0, entries: 0, frames: 0 })
