/** @module One signed POST to a checked address: a timeout, no redirects, and no DNS lookup of its own. */
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import type { CheckedTarget } from './address-guard.ts'

export interface PostResult {
  /** null when no answer came. */
  status: number | null
  error: string | null
}

/** The first bytes of an error answer, for the delivery record. */
const keepBodyBytes = 200

/**
 * POST `body` to the already checked address of `target`. The host name still
 * goes into the Host header and TLS SNI, but the socket connects to
 * `target.address` (the address the guard judged), so a DNS answer that
 * changes between the check and the connect cannot redirect it.
 */
export function post(target: CheckedTarget, headers: Record<string, string>, body: string, timeoutMs: number, signal?: AbortSignal): Promise<PostResult> {
  const { address, family } = target.address
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address, family }])
    else callback(null, address, family)
  }
  const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve) => {
    let settled = false
    const done = (result: PostResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(result)
    }
    const req = request(target.url, {
      method: 'POST',
      lookup,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'tandem-webhooks', ...headers },
      agent: false,
      ...(signal ? { signal } : {}),
    })
    // One deadline for the whole attempt (connect, send, answer): a receiver that never answers costs timeoutMs, no more.
    const timer = setTimeout(() => {
      done({ status: null, error: `timed out after ${timeoutMs} ms` })
      req.destroy()
    }, timeoutMs)
    req.on('error', (error) => done({ status: null, error: error.message }))
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0
      if (status >= 200 && status < 300) {
        res.resume()
        res.on('end', () => done({ status, error: null }))
        res.on('error', () => done({ status, error: null }))
        return
      }
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        if (text.length < keepBodyBytes) text += chunk
        else res.destroy()
      })
      const fail = () => {
        const redirect = status >= 300 && status < 400 ? ` (redirects are not followed${res.headers.location ? `: ${res.headers.location}` : ''})` : ''
        done({ status, error: `HTTP ${status}${redirect}${text ? `: ${text.slice(0, keepBodyBytes)}` : ''}` })
      }
      res.on('end', fail)
      res.on('close', fail)
      res.on('error', fail)
    })
    req.end(body)
  })
}
