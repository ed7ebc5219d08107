// Child process of test/integration/workspace-crash.test.ts: opens a workspace and applies one
// more (test-only) migration that is SIGKILLed halfway, after its first statement ran.
import Database from 'better-sqlite3'
import { migrate } from '../../src/core/store/workspace'
import { MIGRATIONS } from '../../src/core/store/migrations'

const db = new Database(process.argv[2]!)
db.pragma('journal_mode = WAL')
db.function('die', () => process.kill(process.pid, 'SIGKILL'))
migrate(db, [...MIGRATIONS, `CREATE TABLE extra (x INTEGER); INSERT INTO extra VALUES (1); SELECT die();`])
