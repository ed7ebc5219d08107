import type { ServerResponse } from 'node:http'
import type { ApiEventName, ApiEvents } from '../shared/api'

/**
 * The browser host's Server-Sent Events fan-out: every connected page gets every event.
 * A heartbeat comment keeps proxies and idle timers from closing the stream.
 */
export class EventHub {
  private readonly clients = new Set<ServerResponse>()
  private readonly heartbeat: NodeJS.Timeout

  constructor(heartbeatMs = 15_000) {
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) client.write(': keep-alive\n\n')
    }, heartbeatMs)
    this.heartbeat.unref()
  }

  attach(response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    response.write('retry: 2000\n\n')
    this.clients.add(response)
    response.on('close', () => this.clients.delete(response))
  }

  emit<E extends ApiEventName>(name: E, payload: ApiEvents[E]): void {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`
    for (const client of this.clients) client.write(frame)
  }

  get size(): number {
    return this.clients.size
  }

  close(): void {
    clearInterval(this.heartbeat)
    for (const client of this.clients) client.end()
    this.clients.clear()
  }
}
