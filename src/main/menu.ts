import { app, Menu, type MenuItemConstructorOptions } from 'electron'
import { basename } from 'node:path'
import type { AppCommand } from '../shared/api'

/** The workspace actions resolve when they are done (Electron ignores the promise; tests wait for it). */
export interface MenuActions {
  recentWorkspaces: readonly string[]
  newWorkspace(): Promise<void>
  openWorkspace(): Promise<void>
  openRecent(path: string): Promise<void>
  clearRecent(): void
  /** Carried out by the page (import, views, start and stop). */
  command(command: AppCommand): void
}

/** The application menu: the workbench's actions with their accelerators, then the standard roles. */
export function installMenu(actions: MenuActions): void {
  const mac = process.platform === 'darwin'
  const command = (label: string, name: AppCommand, accelerator: string): MenuItemConstructorOptions => ({ label, accelerator, click: () => actions.command(name) })
  const recent: MenuItemConstructorOptions[] = actions.recentWorkspaces.length === 0
    ? [{ label: 'No recent workspaces', enabled: false }]
    : [...actions.recentWorkspaces.map((path) => ({ label: basename(path), sublabel: path, click: () => actions.openRecent(path) })), { type: 'separator' as const }, { label: 'Clear Recent', click: actions.clearRecent }]
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        command('Import CSV…', 'import', 'CmdOrCtrl+O'),
        { type: 'separator' },
        { label: 'New Workspace…', accelerator: 'CmdOrCtrl+Shift+N', click: actions.newWorkspace },
        { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+Shift+O', click: actions.openWorkspace },
        { label: 'Open Recent', submenu: recent },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        command('Datasets', 'view:datasets', 'CmdOrCtrl+1'),
        command('Train', 'view:train', 'CmdOrCtrl+2'),
        command('Runs', 'view:runs', 'CmdOrCtrl+3'),
        command('Compare', 'view:compare', 'CmdOrCtrl+4'),
        command('Sweep', 'view:sweep', 'CmdOrCtrl+5'),
        { type: 'separator' },
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Run',
      submenu: [command('Start Training', 'train:start', 'CmdOrCtrl+Enter'), command('Stop Training', 'train:stop', 'CmdOrCtrl+.')],
    },
    { role: 'windowMenu' },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
