/** @module The page: three panes (React, Vue, Svelte), each its own person with its own client, and the agent controls. */
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'
import { createApp } from 'vue'
import { mount } from 'svelte'
import { tandemPlugin } from '@tandem/vue'
import { ReactPane } from './react/ReactPane.tsx'
import VuePane from './vue/VuePane.vue'
import SveltePane from './svelte/SveltePane.svelte'
import { startActivityFeed } from './shared/activity.ts'
import { paneClient } from './shared/client.ts'
import './styles.css'

const pane = (name: string) => document.querySelector<HTMLElement>(`[data-pane="${name}"]`)!

createRoot(pane('react')).render(createElement(ReactPane, { person: 'Ada' }))

const vueClient = paneClient('Grace')
createApp(VuePane, { person: 'Grace' }).use(tandemPlugin, { client: vueClient }).mount(pane('vue'))
vueClient.start()

mount(SveltePane, { target: pane('svelte'), props: { person: 'Linus' } })

startActivityFeed()

// "Run an agent": the dev server starts one (a Node client on the secret key, participant kind agent).
const agentButton = document.querySelector<HTMLButtonElement>('#run-agent')!
const agentNote = document.querySelector<HTMLElement>('#agent-note')!
agentButton.addEventListener('click', async () => {
  const res = await fetch('/playground/agents', { method: 'POST' })
  const body = (await res.json()) as { name?: string; error?: { message: string } }
  agentNote.textContent = res.ok ? `${body.name} started: it claims the open cards one by one.` : `Could not start an agent: ${body.error?.message}`
})
