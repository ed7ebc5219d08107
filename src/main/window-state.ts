import type { WindowState } from './settings'

export interface Rectangle {
  x: number
  y: number
  width: number
  height: number
}

/** Enough of the window must show on one display to grab its title bar. */
const MIN_VISIBLE = { width: 120, height: 60 }

/**
 * The saved window, if it still fits: at least its minimum size, and enough of it on some
 * display's work area (a monitor that was unplugged would put it out of reach); null otherwise.
 */
export function restorableBounds(saved: WindowState | undefined, workAreas: readonly Rectangle[], minimum: { width: number; height: number }): WindowState | null {
  if (!saved) return null
  const width = Math.max(saved.width, minimum.width)
  const height = Math.max(saved.height, minimum.height)
  const visible = workAreas.some((area) => {
    const overlapWidth = Math.min(saved.x + width, area.x + area.width) - Math.max(saved.x, area.x)
    const overlapHeight = Math.min(saved.y + height, area.y + area.height) - Math.max(saved.y, area.y)
    return overlapWidth >= MIN_VISIBLE.width && overlapHeight >= MIN_VISIBLE.height
  })
  return visible ? { ...saved, width, height } : null
}
