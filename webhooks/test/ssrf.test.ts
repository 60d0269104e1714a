import { classifyAddress, type ResolvedAddress } from '@tandem/webhooks'
import { expect, it } from 'vitest'
import { start } from './harness.ts'
import { Receiver } from './receiver.ts'

it('classifies every refused address class, IPv4-mapped IPv6 judged as its IPv4', () => {
  const cases: Array<[string, string | null]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.10.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['64:ff9b::a00:1', 'nat64'],
    ['224.0.0.1', 'multicast'],
    ['8.8.8.8', null],
    ['172.15.255.255', null],
    ['172.32.0.1', null],
    ['100.128.0.1', null],
    ['2606:4700::1111', null],
    ['::ffff:8.8.8.8', null],
  ]
  for (const [address, expected] of cases) expect(classifyAddress(address), address).toBe(expected)
})

/** A resolver for names under .test, as a DNS server an attacker controls would answer. */
function fakeDns(answers: Record<string, string[]>) {
  const calls: string[] = []
  const resolve = async (host: string): Promise<ResolvedAddress[]> => {
    calls.push(host)
    const found = answers[host]
    if (!found) throw new Error(`getaddrinfo ENOTFOUND ${host}`)
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
  return { answers, calls, resolve }
}

it('refuses at creation (400, param url) every private class, names resolving to one, and http; allowPrivateUrls opts in', async () => {
  const dns = fakeDns({ 'evil.test': ['127.0.0.1'], 'mixed.test': ['93.184.216.34', '10.0.0.5'], 'v6.test': ['fd00::5'], 'public.test': ['93.184.216.34'] })
  const strict = await start({ allowPrivateUrls: false, resolve: dns.resolve })
  const refused: Array<[string, RegExp]> = [
    ['https://127.0.0.1/hook', /loopback/],
    ['https://evil.test/hook', /evil\.test resolves to 127\.0\.0\.1, a loopback address/],
    ['https://mixed.test/hook', /10\.0\.0\.5, a private address/],
    ['https://v6.test/hook', /unique-local/],
    ['https://10.0.0.1/', /private/],
    ['https://172.20.0.1/', /private/],
    ['https://192.168.0.10/', /private/],
    ['https://169.254.1.1/', /link-local/],
    ['https://[fe80::1]/', /link-local/],
    ['https://100.64.1.1/', /cgnat/],
    ['https://[fc00::1]/', /unique-local/],
    ['https://[::ffff:127.0.0.1]/', /loopback/],
    ['https://[::ffff:192.168.0.1]/', /private/],
    ['https://0x7f.1/', /loopback/],
    ['https://0.0.0.0/', /unspecified/],
    ['https://169.254.169.254/latest/meta-data', /metadata/],
    ['https://[fd00:ec2::254]/', /metadata/],
    ['http://public.test/hook', /must be https/],
    ['ftp://public.test/', /must be https/],
    ['https://user:pw@public.test/', /user name or password/],
    ['https://nowhere.test/', /Could not resolve nowhere\.test/],
    ['not a url', /not a URL/],
  ]
  for (const [url, message] of refused) {
    const res = await strict.http('POST', '/v1/webhook_endpoints', { url })
    expect([res.status, res.body.error.code, res.body.error.param], url).toEqual([400, 'invalid_request', 'url'])
    expect(res.body.error.message, url).toMatch(message)
  }
  // The real resolver too: localhost is loopback.
  const system = await start({ allowPrivateUrls: false })
  const localhost = await system.http('POST', '/v1/webhook_endpoints', { url: 'https://localhost/hook' })
  expect([localhost.status, localhost.body.error.message]).toEqual([400, expect.stringMatching(/localhost resolves to .*, a loopback address/)])

  expect((await strict.http('POST', '/v1/webhook_endpoints', { url: 'https://public.test/hook', status: 'disabled' })).status).toBe(201)
  const id = (await strict.http('GET', '/v1/webhook_endpoints')).body.data[0].id
  const patch = await strict.http('PATCH', `/v1/webhook_endpoints/${id}`, { url: 'https://evil.test/hook' })
  expect([patch.status, patch.body.error.param]).toEqual([400, 'url'])

  const dev = await start({ allowPrivateUrls: true, resolve: dns.resolve })
  for (const url of ['http://127.0.0.1:9/hook', 'http://evil.test:9/', 'https://10.0.0.1/', 'https://[fd12::1]/'])
    expect((await dev.http('POST', '/v1/webhook_endpoints', { url, status: 'disabled' })).status, url).toBe(201)
  // Even in dev: http only to loopback, and never the cloud metadata service.
  for (const [url, message] of [
    ['http://10.0.0.1/', /must be https/],
    ['https://169.254.169.254/', /metadata/],
  ] as const) {
    const res = await dev.http('POST', '/v1/webhook_endpoints', { url })
    expect([res.status, res.body.error.message], url).toEqual([400, expect.stringMatching(message)])
  }
})

it('judges the address again at every delivery: a name that now resolves to 127.0.0.1 is a failed attempt, nothing is sent', async () => {
  const dns = fakeDns({ 'rebind.test': ['93.184.216.34'] })
  const { http, commit, attempts } = await start({ allowPrivateUrls: false, resolve: dns.resolve, retrySchedule: [0] })
  // Created disabled while the name looks public; it resolves to loopback before anything could be sent.
  const created = await http('POST', '/v1/webhook_endpoints', { url: 'https://rebind.test/hook', status: 'disabled' })
  expect(created.status).toBe(201)
  dns.answers['rebind.test'] = ['127.0.0.1']
  await http('PATCH', `/v1/webhook_endpoints/${created.body.id}`, { status: 'enabled' })
  await commit({ op: 'create', model: 'tasks', id: 't1', data: { title: 'one' } })
  await attempts.until(() => attempts.all.length === 2)
  expect(attempts.all.map((a) => [a.ok, a.status, a.error])).toEqual([
    [false, null, expect.stringContaining('rebind.test resolves to 127.0.0.1, a loopback address: refused')],
    [false, null, expect.stringContaining('loopback')],
  ])
  expect(dns.calls.filter((h) => h === 'rebind.test').length).toBe(3) // creation + one lookup per attempt
  expect((await http('GET', `/v1/webhook_endpoints/${created.body.id}`)).body).toMatchObject({ status: 'disabled', disabledReason: 'failing', cursor: 0 })
})

it('connects to the address it checked: the name is looked up once per attempt and only goes into the Host header', async () => {
  const receiver = await new Receiver().up()
  const dns = fakeDns({ 'hooks.test': ['127.0.0.1'] })
  const { commit, endpoint } = await start({ resolve: dns.resolve })
  await endpoint({ url: `http://hooks.test:${receiver.port}/hook` }, receiver)
  const before = dns.calls.length
  await commit({ op: 'create', model: 'tasks', id: 't1', data: { title: 'one' } })
  await receiver.until(() => receiver.events.length === 1)
  expect(receiver.requests[0]!.headers.host).toBe(`hooks.test:${receiver.port}`)
  expect(dns.calls.length - before).toBe(1)
})

it('follows no redirect: a 3xx to an internal address is a failed attempt and the target never hears from us', async () => {
  const internal = await new Receiver().up()
  const { commit, endpoint, attempts } = await start({ retrySchedule: [0] })
  const { receiver, endpoint: e } = await endpoint()
  receiver.behaviour = (_req, res) => res.writeHead(302, { location: internal.url }).end()
  await commit({ op: 'create', model: 'tasks', id: 't1', data: { title: 'one' } })
  await attempts.until(() => attempts.of(e.id).length === 2)
  expect(attempts.of(e.id).map((a) => [a.ok, a.status])).toEqual([
    [false, 302],
    [false, 302],
  ])
  expect(attempts.all[0]!.error).toContain(`redirects are not followed: ${internal.url}`)
  expect(internal.requests).toHaveLength(0)
  await internal.down()
})
