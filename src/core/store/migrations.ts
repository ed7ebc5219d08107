/**
 * Schema migrations, applied in order under `PRAGMA user_version`, each in its own
 * transaction so a crash mid-migration leaves the previous version intact.
 * Numeric series are stored column-wise in chunks of CHUNK_ROWS Float64 values
 * (little-endian, NaN = missing) so training can stream windows with bounded memory.
 */
export const CHUNK_ROWS = 65536

export const MIGRATIONS: readonly string[] = [
  /* 1 */ `
  CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    source_name TEXT NOT NULL,
    source_sha256 TEXT NOT NULL UNIQUE,
    imported_at TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    time_column TEXT NOT NULL,
    frequency TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    columns_json TEXT NOT NULL,
    warnings_json TEXT NOT NULL DEFAULT '[]'
  );
  -- column_index -1 holds the timestamps (UTC epoch milliseconds); 0.. the numeric columns in columns_json order
  CREATE TABLE dataset_chunks (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    column_index INTEGER NOT NULL,
    chunk_index INTEGER NOT NULL,
    values_blob BLOB NOT NULL,
    PRIMARY KEY (dataset_id, column_index, chunk_index)
  ) WITHOUT ROWID;

  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    config_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued','running','completed','stopped','diverged','failed','interrupted')),
    backend TEXT,
    versions_json TEXT,
    seed INTEGER NOT NULL,
    data_sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    best_epoch INTEGER,
    best_val_loss REAL,
    scaler_json TEXT,
    metrics_json TEXT,
    baselines_json TEXT,
    error_json TEXT,
    owner_pid INTEGER,
    owner_token TEXT,
    heartbeat_at TEXT
  );
  CREATE INDEX runs_dataset ON runs(dataset_id);

  CREATE TABLE epochs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    train_loss REAL NOT NULL,
    val_loss REAL,
    grad_norm_mean REAL NOT NULL,
    grad_norm_p50 REAL NOT NULL,
    grad_norm_p95 REAL NOT NULL,
    grad_norm_max REAL NOT NULL,
    clipped_fraction REAL NOT NULL,
    lr REAL NOT NULL,
    clip_threshold REAL,
    seconds REAL NOT NULL,
    layer_norms_json TEXT,
    PRIMARY KEY (run_id, epoch)
  ) WITHOUT ROWID;

  CREATE TABLE recoveries (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    step INTEGER NOT NULL,
    reason TEXT NOT NULL,
    lr REAL NOT NULL,
    clip_threshold REAL,
    created_at TEXT NOT NULL
  );

  CREATE TABLE checkpoints (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('best','last')),
    epoch INTEGER NOT NULL,
    weights_blob BLOB NOT NULL,
    optimizer_blob BLOB,
    sha256 TEXT NOT NULL,
    config_json TEXT NOT NULL,
    scaler_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (run_id, kind)
  ) WITHOUT ROWID;

  CREATE TABLE forecasts (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    origin_time TEXT NOT NULL,
    horizon INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    times_json TEXT NOT NULL,
    values_json TEXT NOT NULL
  );
  CREATE INDEX forecasts_run ON forecasts(run_id);

  -- rolling-origin backtests of a run (src/core/train/backtest.ts): per-fold and mean metrics as JSON
  CREATE TABLE backtests (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    folds INTEGER NOT NULL,
    epochs INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    result_json TEXT NOT NULL
  );
  CREATE INDEX backtests_run ON backtests(run_id);
  `,
  // how a dataset's source wrote its times (Luxon tokens) and in which zone, so exports can write them back
  `
  ALTER TABLE datasets ADD COLUMN time_format TEXT;
  ALTER TABLE datasets ADD COLUMN time_zone TEXT;
  `,
  `
  -- the pre-clip global norm of every step of the epoch, float32 little-endian
  ALTER TABLE epochs ADD COLUMN step_norms_blob BLOB;
  -- AutoClip's norm history at the checkpoint (encodeTensors), so a resumed run keeps its thresholds
  ALTER TABLE checkpoints ADD COLUMN clip_history_blob BLOB;
  `,
  /* 4 */ `
  -- an import writes its chunks in many short transactions under a 'staging' row, hidden from every
  -- listing, then flips it to 'ready' in one; a staging row whose process is gone is an abandoned import
  ALTER TABLE datasets ADD COLUMN import_state TEXT NOT NULL DEFAULT 'ready' CHECK (import_state IN ('ready', 'staging'));
  ALTER TABLE datasets ADD COLUMN import_owner_pid INTEGER;
  `,
  /* 5 */ `
  -- what a run was warned about (checkpoint fallbacks, imputation, constant columns, gaps, forecast inputs),
  -- each told once: a resume that raises the same data warning again adds nothing
  CREATE TABLE run_warnings (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (run_id, code, message)
  );
  `,
  /* 6 */ `
  -- prediction intervals of a forecast (Forecast.intervals) as JSON; NULL when the run had none
  ALTER TABLE forecasts ADD COLUMN intervals_json TEXT;
  `,
  /* 7 */ `
  -- a sweep: a group of runs from one grid or set of random draws; its trials are the queue
  CREATE TABLE sweeps (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    spec_json TEXT NOT NULL,
    base_config_json TEXT NOT NULL,
    parallel INTEGER NOT NULL
  );
  -- a trial with no run is still to start; its run is created and linked in one transaction, so
  -- after a crash a trial is either untouched or owns exactly one run (resumed, never started again)
  CREATE TABLE sweep_trials (
    sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
    trial INTEGER NOT NULL,
    values_json TEXT NOT NULL,
    config_json TEXT NOT NULL,
    run_id INTEGER UNIQUE REFERENCES runs(id) ON DELETE SET NULL,
    error_json TEXT,
    PRIMARY KEY (sweep_id, trial)
  ) WITHOUT ROWID;
  `,
  /* 8 */ `
  -- what a person wrote on a run: its tags (a JSON array of strings, sorted, each once) and a note
  CREATE TABLE run_labels (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    tags_json TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
  );
  `,
  /* 9 */ `
  -- each test window's interval half-widths as the evaluation calibrated them at its origin
  -- (src/core/eval/calibrate.ts), so the test period and the test export read them instead of walking
  -- the calibration again: float64 little-endian [levels, horizon · targets, windows], Brotli; read
  -- only while the run's best checkpoint is still the one they came from (epoch and SHA-256)
  CREATE TABLE run_test_intervals (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    checkpoint_sha256 TEXT NOT NULL,
    levels_json TEXT NOT NULL,
    windows INTEGER NOT NULL,
    cells INTEGER NOT NULL,
    half_width_blob BLOB NOT NULL,
    created_at TEXT NOT NULL
  );
  `,
  /* 10 */ `
  -- Compare's test-period forecasts of a run (src/core/eval/test-forecasts.ts) as JSON, Brotli:
  -- a finished run's do not change, so they are computed once; served only while the run's best
  -- checkpoint is still the one they came from (epoch and SHA-256), as run_test_intervals
  CREATE TABLE run_test_forecasts (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    checkpoint_sha256 TEXT NOT NULL,
    forecasts_blob BLOB NOT NULL,
    created_at TEXT NOT NULL
  );
  `,
  /* 11 */ `
  -- daily datasets stored with gaps in their daily steps may be trading-day files an import before
  -- business days were recognised took for daily with every weekend a gap: they are detected once
  -- more (src/core/data/trading-day-upgrade.ts). Since then a trading-day file imported as daily
  -- was chosen so, and its gap warning names the detected frequency ("… in the business-daily
  -- timestamps"); every dataset imported from now on is settled
  ALTER TABLE datasets ADD COLUMN frequency_settled INTEGER NOT NULL DEFAULT 1;
  UPDATE datasets SET frequency_settled = 0 WHERE frequency = 'daily' AND warnings_json LIKE '%gaps in the daily timestamps%';
  `,
]
