import { describe, expect, it } from 'vitest'
import { isActiveStatus, isResumableStatus, RUN_STATUSES } from '../../../src/shared/run-status'

describe('run status predicates', () => {
  it('calls queued and running active, and nothing else', () => {
    expect(RUN_STATUSES.filter(isActiveStatus)).toEqual(['queued', 'running'])
  })

  it('calls stopped and interrupted resumable, and nothing else', () => {
    expect(RUN_STATUSES.filter(isResumableStatus)).toEqual(['stopped', 'interrupted'])
  })
})
