import type { Api, ApiMethod } from '../shared/api'
import { API_METHODS } from '../shared/api'
import type { ApiResult } from '../shared/api-bridge'
import { isApiMethod, parseArgs } from '../shared/api-schemas'
import { ClipcastError, toErrorData } from '../shared/errors'

/** Wraps every method so its arguments are parsed by the method's schema first. */
export function guardApi(impl: Api): Api {
  const guarded = {} as Record<ApiMethod, (...args: unknown[]) => Promise<unknown>>
  for (const method of Object.keys(API_METHODS) as ApiMethod[]) {
    const fn = impl[method] as (...args: unknown[]) => Promise<unknown>
    guarded[method] = async (...args: unknown[]) => fn.apply(impl, parseArgs(method, args) as unknown[])
  }
  return guarded as unknown as Api
}

/**
 * One call from a host: the method name and argument list as they arrived (untrusted).
 * Never throws: the result carries either the value or the error as data.
 */
export async function callApi(api: Api, method: unknown, args: unknown): Promise<ApiResult<unknown>> {
  try {
    if (!isApiMethod(method)) {
      throw new ClipcastError('UNKNOWN_METHOD', `There is no method called ${JSON.stringify(String(method)).slice(0, 80)}.`, {
        hint: 'The renderer and the host are from different versions; restart Clipcast.',
      })
    }
    if (!Array.isArray(args)) throw new ClipcastError('BAD_REQUEST', `The arguments of ${method} must be an array.`)
    const fn = api[method] as (...a: unknown[]) => Promise<unknown>
    const value = await fn(...args)
    return { ok: true, value: value === undefined ? null : value }
  } catch (error) {
    return { ok: false, error: toErrorData(error) }
  }
}
