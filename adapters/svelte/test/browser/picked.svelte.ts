/** @module The picked task id, shared state (runes in a module) that the test changes through the page's global. */
export const picked = $state({ id: 'a' })
