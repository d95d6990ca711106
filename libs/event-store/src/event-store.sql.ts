/**
 * The store's hot statements. Each has a fixed parameter list whatever the number of events (the events of an
 * append travel as one JSON array, expanded into one multi-row INSERT; an append of one event has statements with
 * its fields as parameters), so each is prepared once per connection and reused. One jsonb parameter measured about
 * 25% faster at 10 events than parallel arrays (uuid[], jsonb[]...).
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

const statement = (name: string, text: string): Statement => ({
  name: `golden_loop_event_store_${name}`,
  text: text.replace(/\s+/g, ' ').trim(),
});

// Per stream, recorded_at never decreases: the stream row is locked (updated) before the events are written,
// and the time is raised to the stream's previous append time if the clock stepped back. Truncated to the
// millisecond so the value a reader gets as a JS Date compares exactly in an as-of read.
const appendTime = `date_trunc('milliseconds', clock_timestamp())`;

// The stream row of an append, written before its events: created (or, for `any`, moved on) or moved on from the
// expected version. `count` is the number of events, `last` the expected version or the stream type; each
// returns the version before the append and the append time.
const streamRows = {
  atVersion: (count: string, last: string) => `
    UPDATE streams
       SET version = version + ${count},
           updated_at = greatest(${appendTime}, updated_at)
     WHERE stream_id = $1 AND version = ${last}::bigint
    RETURNING version - ${count} AS previous_version, updated_at AS recorded_at`,
  newStream: (count: string, last: string) => `
    INSERT INTO streams (stream_id, stream_type, version, created_at, updated_at)
    SELECT $1, ${last}::text, ${count}, at, at FROM ${appendTime} AS at
    ON CONFLICT (stream_id) DO NOTHING
    RETURNING 0::bigint AS previous_version, updated_at AS recorded_at`,
  anyVersion: (count: string, last: string) => `
    INSERT INTO streams AS s (stream_id, stream_type, version, created_at, updated_at)
    SELECT $1, ${last}::text, ${count}, at, at FROM ${appendTime} AS at
    ON CONFLICT (stream_id) DO UPDATE
       SET version = s.version + EXCLUDED.version,
           updated_at = greatest(EXCLUDED.updated_at, s.updated_at)
    RETURNING s.version - ${count} AS previous_version, s.updated_at AS recorded_at`,
};

// $1 stream id, $2 number of events, $3 the events as a JSON array, $4 expected version or stream type.
// The stream row and the events are written by one statement (its own transaction unless the caller has one).
// jsonb_to_recordset turns a JSON null into SQL NULL, hence the coalesce.
const insertEvents = (streamRow: string): string => `
  WITH stream AS (${streamRow})
  INSERT INTO events (stream_id, stream_position, event_id, event_type, schema_version, data, metadata, recorded_at)
  SELECT $1, stream.previous_version + e.ord, e.id, e.type, e.version,
         coalesce(e.data, 'null'::jsonb), coalesce(e.metadata, '{}'::jsonb), stream.recorded_at
  FROM stream
  CROSS JOIN ROWS FROM (jsonb_to_recordset($3::jsonb) AS (id uuid, type text, version integer, data jsonb, metadata jsonb))
    WITH ORDINALITY AS e (id, type, version, data, metadata, ord)
  RETURNING global_position, stream_position`;

/** The optimistic-concurrency check: no row updated means the stream is not at the expected version. */
export const appendAtVersion = statement('append_at_version', insertEvents(streamRows.atVersion('$2::integer', '$4')));

/** No row inserted means the stream already exists. */
export const appendToNewStream = statement('append_to_new_stream', insertEvents(streamRows.newStream('$2::integer', '$4')));

export const appendAtAnyVersion = statement('append_at_any_version', insertEvents(streamRows.anyVersion('$2::integer', '$4')));

// The same three for an append of one event (what most commands emit), its fields as parameters: $1 stream id,
// $2 event id, $3 type, $4 schema version, $5 data and $6 metadata as JSON text, $7 expected version or stream
// type. The stream row, the checks and the stored values are those of the statements above. Expanding a
// one-element JSON array with jsonb_to_recordset cost about 40 µs of the statement's execute time on the server,
// a sixth of it (execute durations logged per phase, medians, interleaved with the other shapes).
const insertEvent = (streamRow: string): string => `
  WITH stream AS (${streamRow})
  INSERT INTO events (stream_id, stream_position, event_id, event_type, schema_version, data, metadata, recorded_at)
  SELECT $1, stream.previous_version + 1, $2::uuid, $3::text, $4::integer, $5::jsonb, $6::jsonb, stream.recorded_at
  FROM stream
  RETURNING global_position, stream_position`;

export const appendOneAtVersion = statement('append_one_at_version', insertEvent(streamRows.atVersion('1', '$7')));

export const appendOneToNewStream = statement('append_one_to_new_stream', insertEvent(streamRows.newStream('1', '$7')));

export const appendOneAtAnyVersion = statement('append_one_at_any_version', insertEvent(streamRows.anyVersion('1', '$7')));

/**
 * Appends to several streams in one statement. $1 is a JSON array of `{ stream_id, stream_type, expected, events }`
 * (`expected` 0: the stream must not exist; `events` as in the one-stream statements). Each stream's row is created
 * or moved on with its version check, as `appendToNewStream` / `appendAtVersion` do, and its events inserted in the
 * order given (streams in array order, then events). A stream that fails its check returns no rows and gets no
 * events; the others are written, so the caller's transaction must roll back (PostgresEventStore.appendEach).
 * The stream ids also go in an `= ANY` beside the join, as in readStreams: PostgreSQL guesses 100 rows for a JSON
 * recordset or an unnest, and with the join alone it read every stream and hashed them, for each group
 * (docs/loop-performance.md, "Statements that read every stream").
 */
export const appendEach = statement(
  'append_each',
  `WITH input AS (
     SELECT i.stream_id, i.stream_type, i.expected, i.events, jsonb_array_length(i.events) AS n, i.ord
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (stream_id text, stream_type text, expected bigint, events jsonb))
            WITH ORDINALITY AS i (stream_id, stream_type, expected, events, ord)
   ), moved AS (
     UPDATE streams s
        SET version = s.version + i.n,
            updated_at = greatest(${appendTime}, s.updated_at)
       FROM input i
      WHERE s.stream_id = i.stream_id AND i.expected > 0 AND s.version = i.expected
        AND s.stream_id = ANY (ARRAY(SELECT stream_id FROM input))
     RETURNING s.stream_id, s.version - i.n AS previous_version, s.updated_at AS recorded_at
   ), created AS (
     INSERT INTO streams (stream_id, stream_type, version, created_at, updated_at)
     SELECT i.stream_id, i.stream_type, i.n, at, at FROM input i CROSS JOIN ${appendTime} AS at
      WHERE i.expected = 0
     ON CONFLICT (stream_id) DO NOTHING
     RETURNING stream_id, 0::bigint AS previous_version, updated_at AS recorded_at
   ), stream AS (
     SELECT * FROM moved UNION ALL SELECT * FROM created
   )
   INSERT INTO events (stream_id, stream_position, event_id, event_type, schema_version, data, metadata, recorded_at)
   SELECT st.stream_id, st.previous_version + e.ord, e.id, e.type, e.version,
          coalesce(e.data, 'null'::jsonb), coalesce(e.metadata, '{}'::jsonb), st.recorded_at
     FROM stream st
     JOIN input i ON i.stream_id = st.stream_id
    CROSS JOIN LATERAL ROWS FROM (jsonb_to_recordset(i.events) AS (id uuid, type text, version integer, data jsonb, metadata jsonb))
          WITH ORDINALITY AS e (id, type, version, data, metadata, ord)
    ORDER BY i.ord, e.ord
   RETURNING stream_id, global_position, stream_position`,
);

export const streamVersion = statement('stream_version', `SELECT version FROM streams WHERE stream_id = $1`);

const eventColumns = `
  e.global_position, e.transaction_id::text AS transaction_id, e.stream_id, e.stream_position, e.event_id,
  e.event_type, e.schema_version, e.data, e.metadata, e.recorded_at, s.stream_type`;

export const readStream = statement(
  'read_stream',
  `SELECT ${eventColumns}
     FROM events e JOIN streams s ON s.stream_id = e.stream_id
    WHERE e.stream_id = $1
      AND e.stream_position BETWEEN $2::bigint AND $3::bigint
      AND e.recorded_at <= $4::timestamptz
    ORDER BY e.stream_position`,
);

/**
 * The tails of several streams in one round trip: each stream from its own first position ($1 stream ids, $2 first
 * positions, paired by index), in stream id then position order. For a caller that holds the streams' key locks and
 * folds many at once (the command runner's `runEach`). The `= ANY` finds the streams by key (see appendEach).
 */
export const readStreams = statement(
  'read_streams',
  `SELECT ${eventColumns}
     FROM unnest($1::text[], $2::bigint[]) AS r (stream_id, from_version)
     JOIN events e ON e.stream_id = r.stream_id AND e.stream_position >= r.from_version
     JOIN streams s ON s.stream_id = e.stream_id
    WHERE s.stream_id = ANY ($1::text[])
    ORDER BY e.stream_id, e.stream_position`,
);

/**
 * The watermark read. A transaction id below the snapshot's xmin belongs to a transaction that has ended, and
 * every transaction still to commit has an id at or above it, so the rows below it, in
 * (transaction_id, global_position) order, form a prefix that can only grow at its end: a reader that keeps the
 * pair as its checkpoint never skips a row that commits later.
 */
export const readAll = statement(
  'read_all',
  `SELECT ${eventColumns}
     FROM events e JOIN streams s ON s.stream_id = e.stream_id
    WHERE e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      AND (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
    ORDER BY e.transaction_id, e.global_position
    LIMIT $3::integer`,
);

// Advisory locks are database-wide: the key includes the schema, so services sharing a server do not contend.
const subscriptionLockKey = `hashtextextended('golden-loop/event-store/subscription/' || current_schema() || '/' || $1, 0)`;

export const tryLockSubscription = statement(
  'try_lock_subscription',
  `SELECT pg_try_advisory_xact_lock(${subscriptionLockKey}) AS locked`,
);

export const lockSubscription = statement(
  'lock_subscription',
  `SELECT pg_advisory_xact_lock(${subscriptionLockKey})::text AS locked`,
);

export const readCheckpoint = statement(
  'read_checkpoint',
  `SELECT transaction_id::text AS transaction_id, global_position
     FROM subscription_checkpoints WHERE subscription_id = $1`,
);

export const saveCheckpoint = statement(
  'save_checkpoint',
  `INSERT INTO subscription_checkpoints (subscription_id, transaction_id, global_position, updated_at)
   VALUES ($1, $2::xid8, $3::bigint, now())
   ON CONFLICT (subscription_id) DO UPDATE
      SET transaction_id = EXCLUDED.transaction_id,
          global_position = EXCLUDED.global_position,
          updated_at = EXCLUDED.updated_at`,
);

export const deleteCheckpoint = statement(
  'delete_checkpoint',
  `DELETE FROM subscription_checkpoints WHERE subscription_id = $1`,
);

export const headPosition = statement(
  'head_position',
  // Qualified: a bare ORDER BY transaction_id would sort by the text alias (and scan the whole table).
  `SELECT e.transaction_id::text AS transaction_id, e.global_position
     FROM events e ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`,
);

export const countAfter = statement(
  'count_after',
  `SELECT count(*) AS pending FROM events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)`,
);
