import { describe, expect, it } from 'vitest'
import { CdsClient } from '../client.js'
import { fakeAuthorizationServer, fakeFetch } from '../../test/fake-fetch.js'

const base = 'https://utility.example'

function message(id: string, read: boolean) {
  return {
    message_id: id,
    uri: `${base}/api/messages/${id}`,
    previous_uri: null,
    type: 'notification',
    name: id,
    description: '',
    read,
    creator: 'server',
    created: '2026-01-01T00:00:00Z',
    modified: '2026-01-01T00:00:00Z',
    status: 'complete',
    related_uri: null,
    updates_requested: [],
    grants_requested: [],
    attachments: [],
  }
}

function listing(lists: Partial<Record<'outstanding' | 'unread' | 'read', unknown[]>>, links: Record<string, string | null> = {}) {
  return {
    outstanding: lists.outstanding ?? [],
    outstanding_next: null,
    outstanding_previous: null,
    unread: lists.unread ?? [],
    unread_next: null,
    unread_previous: null,
    read: lists.read ?? [],
    read_next: null,
    read_previous: null,
    ...links,
  }
}

describe('CDS-WG1-02 §6.8 Messages listing', () => {
  it('follows only the chosen list\u2019s next links', async () => {
    const fetch = fakeFetch(
      { json: { access_token: 'at', token_type: 'Bearer' } },
      { json: listing({ unread: [message('u1', false)], read: [message('r1', true)] }, { unread_next: `${base}/api/messages?cursor=u2`, read_next: `${base}/api/messages?cursor=r2` }) },
      { json: listing({ unread: [message('u2', false)] }) },
    )
    const cds = new CdsClient({ authorizationServer: fakeAuthorizationServer(base) }, { fetch, client: { client_id: 'c', client_secret: 's' } })
    const unread = []
    for await (const m of cds.messages.all('unread', { message_ids: ['u1', 'u2'] })) unread.push(m.message_id)
    expect(unread).toEqual(['u1', 'u2'])
    expect(fetch.calls.map((c) => c.url).slice(1)).toEqual([`${base}/api/messages?message_ids=u1+u2`, `${base}/api/messages?cursor=u2`])
  })
})
