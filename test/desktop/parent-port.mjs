// Electron's `process.parentPort` for a stand-in utility process (a child_process.fork): messages
// as MessageEvent-like { data }, queued until the first listener, as Electron queues them.
import { EventEmitter } from 'node:events'

const port = new EventEmitter()
const queued = []
let listening = false
port.postMessage = (message) => process.send(message)
port.on('newListener', (event) => {
  if (event !== 'message' || listening) return
  listening = true
  queueMicrotask(() => queued.splice(0).forEach((data) => port.emit('message', { data, ports: [] })))
})
process.on('message', (data) => {
  if (listening) port.emit('message', { data, ports: [] })
  else queued.push(data)
})
process.parentPort = port
