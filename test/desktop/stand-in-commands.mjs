// The test harness's commands to the electron stand-in, over the fork's IPC channel: invoke an
// IPC handler as the preload would, answer the next dialog, click a menu item, fetch through a
// registered protocol, change focus or theme, quit. Answers carry the command's id.

/** Starts answering the harness; `world` is the stand-in's state and classes. */
export function answerHarness(world) {
  const { app, BrowserWindow, nativeTheme, record, answers, ipcHandlers, protocolHandlers, hooks, windows, notify } = world
  function describeMenu(template) {
    return template.map((item) => ({
      label: item.label ?? null,
      role: item.role ?? null,
      accelerator: item.accelerator ?? null,
      type: item.type ?? null,
      enabled: item.enabled ?? true,
      submenu: Array.isArray(item.submenu) ? describeMenu(item.submenu) : null,
    }))
  }
  function findMenuItem(template, path) {
    const [label, ...rest] = path
    const item = template?.find((candidate) => candidate.label === label)
    if (!item) return null
    return rest.length === 0 ? item : findMenuItem(item.submenu, rest)
  }

  function state() {
    const menu = record.menu ? describeMenu(record.menu.template) : null
    return {
      ...record,
      menu,
      windows: windows.map((w) => ({
        id: w.id,
        destroyed: w.destroyed,
        visible: w.visible,
        focused: w.focused,
        bounds: w.bounds,
        maximized: w.maximized,
        url: w.webContents.url,
        reloads: w.reloads,
        progress: w.progress,
        backgroundColor: w.backgroundColor,
        webPreferences: w.options.webPreferences ?? {},
        openHandler: w.webContents.openHandler ? w.webContents.openHandler({ url: 'https://example.com' }) : null,
      })),
      ipcChannels: [...ipcHandlers.keys()],
      nativeTheme: { shouldUseDarkColors: nativeTheme.shouldUseDarkColors, themeSource: nativeTheme.themeSource },
    }
  }

  async function invoke({ channel, args, senderUrl }) {
    const handler = ipcHandlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    const window = BrowserWindow.getAllWindows()[0]
    const url = senderUrl ?? window?.webContents.url
    return handler({ sender: window?.webContents, senderFrame: { url } }, ...args)
  }

  async function fetchThrough({ url }) {
    const scheme = new URL(url).protocol.slice(0, -1)
    const handler = protocolHandlers.get(scheme)
    if (!handler) return { status: 0, headers: {}, body: '' }
    const response = await handler(new Request(url))
    const headers = Object.fromEntries(response.headers.entries())
    // the session's header hook applies on top, as Chromium applies it to protocol responses
    if (hooks.headers) {
      await new Promise((resolve) => hooks.headers({ url, responseHeaders: {} }, ({ responseHeaders }) => {
        for (const [name, values] of Object.entries(responseHeaders ?? {})) headers[name.toLowerCase()] = [values].flat().join(', ')
        resolve()
      }))
    }
    return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()).toString('base64') }
  }

  const commands = {
    invoke,
    fetch: fetchThrough,
    state: async () => state(),
    answer: async ({ kind, value }) => { answers[kind].push(value) },
    menu: async ({ path }) => {
      const item = findMenuItem(record.menu?.template, path)
      if (!item?.click) throw new Error(`No menu item ${path.join(' ▸ ')} with an action`)
      await item.click(item, BrowserWindow.getFocusedWindow() ?? undefined, {})
    },
    focus: async ({ focused }) => {
      const window = BrowserWindow.getAllWindows()[0]
      if (focused) window?.focus()
      else window?.blur()
    },
    theme: async ({ dark }) => {
      nativeTheme.shouldUseDarkColors = dark
      nativeTheme.emit('updated')
    },
    // what the session answers a page asking for a permission (notifications, camera, …)
    permission: async ({ permission }) => new Promise((resolve) => hooks.permission?.(BrowserWindow.getAllWindows()[0]?.webContents, permission, resolve, {}) ?? resolve(null)),
    closeWindow: async () => BrowserWindow.getAllWindows()[0]?.close(),
    setBounds: async ({ bounds, maximized }) => {
      const window = BrowserWindow.getAllWindows()[0]
      window?.setBounds(bounds)
      if (maximized) {
        window.maximize()
        window.emit('maximize')
      }
    },
    quit: async () => app.quit(),
  }

  process.on('message', async (message) => {
    if (!message || typeof message.op !== 'string') return
    try {
      const run = commands[message.op]
      if (!run) throw new Error(`unknown stand-in command ${message.op}`)
      notify({ id: message.id, ok: true, value: await run(message) })
    } catch (error) {
      notify({ id: message.id, ok: false, error: String(error?.stack ?? error) })
    }
  })
}
