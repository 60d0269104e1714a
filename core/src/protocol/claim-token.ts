/**
 * @module The fencing token a grant carries, `ct_<claimId>.<fence>.<secret>`:
 * built by the server, read by the server (which claim a write names) and by
 * the HTTP transport (which claim a heartbeat renews). Parsing never throws.
 */

export interface ClaimTokenParts {
  claimId: string
  /** The row's grant counter when this token was issued: grows with every grant. */
  fence: number
  /** Random part: the token cannot be guessed from the claim id. */
  secret: string
}

const tokenPattern = /^ct_(clm_[0-9A-Za-z]{1,64})\.(\d{1,15})\.([0-9A-Za-z_-]{1,128})$/

export function formatClaimToken(parts: ClaimTokenParts): string {
  return `ct_${parts.claimId}.${parts.fence}.${parts.secret}`
}

/** The parts of a fencing token, or null for anything that is not one. */
export function parseClaimToken(token: unknown): ClaimTokenParts | null {
  if (typeof token !== 'string') return null
  const m = tokenPattern.exec(token)
  if (!m) return null
  return { claimId: m[1]!, fence: Number(m[2]), secret: m[3]! }
}
