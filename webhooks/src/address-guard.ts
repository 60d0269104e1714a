/** @module SSRF guard: which addresses a webhook may reach, judged on every resolved address of the host. */
import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'

/** One resolved address of a host. */
export interface ResolvedAddress {
  address: string
  family: 4 | 6
}

/** Resolves a host name to all its addresses (default: `node:dns` lookup with `all: true`). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>

/** Why an address is refused, named after its range. */
export type AddressClass = 'loopback' | 'private' | 'link-local' | 'metadata' | 'cgnat' | 'unique-local' | 'unspecified' | 'multicast' | 'reserved' | 'nat64'

const ranges: ReadonlyArray<[AddressClass, string, number, 'ipv4' | 'ipv6']> = [
  ['metadata', '169.254.169.254', 32, 'ipv4'],
  ['metadata', 'fd00:ec2::254', 128, 'ipv6'],
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['cgnat', '100.64.0.0', 10, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['unique-local', 'fc00::', 7, 'ipv6'],
  ['multicast', 'ff00::', 8, 'ipv6'],
  // NAT64 and 6to4 embed an IPv4 address that a gateway would reach for us.
  ['nat64', '64:ff9b::', 96, 'ipv6'],
  ['nat64', '64:ff9b:1::', 48, 'ipv6'],
  ['reserved', '2002::', 16, 'ipv6'],
]

const lists = new Map<AddressClass, BlockList>()
for (const [name, network, prefix, type] of ranges) {
  const list = lists.get(name) ?? new BlockList()
  list.addSubnet(network, prefix, type)
  lists.set(name, list)
}

/** `::ffff:a.b.c.d` (or its hex form) as the IPv4 address it stands for; other addresses unchanged. */
export function unmapIPv4(address: string): string {
  const lower = address.toLowerCase()
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
  if (dotted) return dotted[1]!
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower)
  if (hex) {
    const hi = parseInt(hex[1]!, 16)
    const lo = parseInt(hex[2]!, 16)
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
  }
  return address
}

/**
 * The refused class of an IP address, or null when it is a public address.
 * IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 * @example
 * classifyAddress('::ffff:10.0.0.1') // 'private'
 */
export function classifyAddress(address: string): AddressClass | null {
  const ip = unmapIPv4(address)
  const version = isIP(ip)
  if (version === 0) throw new TypeError(`Not an IP address: ${address}`)
  const type = version === 4 ? 'ipv4' : 'ipv6'
  for (const [name, list] of lists) if (list.check(ip, type)) return name
  return null
}

export const systemResolver: Resolver = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true })
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }))
}

/** A URL the guard refused, with a message fit for a 400 or a delivery record. */
export class UrlRefusedError extends Error {
  override readonly name = 'UrlRefusedError'
}

/** The address to connect to, checked. */
export interface CheckedTarget {
  url: URL
  address: ResolvedAddress
}

/**
 * Resolve the URL's host and check every address it resolves to; the caller
 * connects to the returned address, so no second lookup can change it.
 * https only; http only for loopback when `allowPrivateUrls` is set.
 */
export async function checkUrl(raw: string, options: { allowPrivateUrls: boolean; resolve: Resolver }): Promise<CheckedTarget> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new UrlRefusedError(`"${raw}" is not a URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UrlRefusedError(`The URL must be https (got ${url.protocol})`)
  if (url.username || url.password) throw new UrlRefusedError('The URL must not carry a user name or password')
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  let addresses: ResolvedAddress[]
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }]
  else {
    try {
      addresses = await options.resolve(host)
    } catch (error) {
      throw new UrlRefusedError(`Could not resolve ${host}: ${error instanceof Error ? error.message : String(error)}`)
    }
    if (addresses.length === 0) throw new UrlRefusedError(`${host} resolves to no address`)
  }
  const classes = addresses.map((a) => classifyAddress(a.address))
  const refused = classes.findIndex((c) => c !== null && !(options.allowPrivateUrls && c !== 'metadata'))
  if (refused >= 0) {
    const what = isIP(host) ? `${host} is` : `${host} resolves to ${addresses[refused]!.address},`
    const hint = classes[refused] === 'metadata' ? '' : ' (allowPrivateUrls lets a server reach private addresses)'
    throw new UrlRefusedError(`${what} a ${classes[refused]} address: refused${hint}`)
  }
  if (url.protocol === 'http:' && !(options.allowPrivateUrls && classes.every((c) => c === 'loopback')))
    throw new UrlRefusedError('The URL must be https (http only for a loopback address, with allowPrivateUrls)')
  return { url, address: addresses[0]! }
}
