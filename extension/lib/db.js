// IndexedDB: the capture queue, the artifacts as Blobs, and the receipts history.
// Shared by the background and the offscreen document (same extension origin, same database).

const DB_NAME = "sipansos";
const DB_VERSION = 1;
const HISTORY_LIMIT = 200;

export const STORES = Object.freeze({
  CAPTURES: "captures",
  BLOBS: "blobs",
  HISTORY: "history",
});

let opening = null;

/** Open (and on first use create) the database; the connection is cached per context. */
export function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        const captures = db.createObjectStore(STORES.CAPTURES, { keyPath: "capture_id" });
        captures.createIndex("created_at", "created_at");
        const blobs = db.createObjectStore(STORES.BLOBS, { keyPath: ["capture_id", "name"] });
        blobs.createIndex("capture_id", "capture_id");
        const history = db.createObjectStore(STORES.HISTORY, { keyPath: "capture_id" });
        history.createIndex("uploaded_at", "uploaded_at");
      };
      request.onsuccess = () => {
        const db = request.result;
        // Another context upgrading the schema closes this connection; reopen on next use.
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        db.onclose = () => {
          opening = null;
        };
        resolve(db);
      };
      request.onerror = () => {
        opening = null;
        reject(request.error);
      };
    });
  }
  return opening;
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Run `work(stores)` in one transaction and resolve with its result once the transaction has
 * committed. `work` must only queue IndexedDB requests (no other awaits inside a transaction).
 */
async function transact(names, mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode);
    const stores = Object.fromEntries(names.map((name) => [name, tx.objectStore(name)]));
    let result;
    Promise.resolve(work(stores, tx)).then(
      (value) => {
        result = value;
      },
      (error) => {
        tx.abort();
        reject(error);
      },
    );
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
}

export function putCapture(record) {
  return transact([STORES.CAPTURES], "readwrite", (s) => done(s.captures.put(record)));
}

export function getCapture(captureId) {
  return transact([STORES.CAPTURES], "readonly", (s) => done(s.captures.get(captureId)));
}

/** Every queued capture, oldest first. */
export function listCaptures() {
  return transact([STORES.CAPTURES], "readonly", (s) =>
    done(s.captures.index("created_at").getAll()),
  );
}

/** Apply `patch` (an object, or a function of the record) atomically; null if it is gone. */
export function updateCapture(captureId, patch) {
  return transact([STORES.CAPTURES], "readwrite", async (s) => {
    const record = await done(s.captures.get(captureId));
    if (!record) return null;
    const changes = typeof patch === "function" ? patch(record) : patch;
    if (!changes) return record;
    const updated = { ...record, ...changes };
    s.captures.put(updated);
    return updated;
  });
}

/** Remove a capture and all of its blobs. */
export function deleteCapture(captureId) {
  return transact([STORES.CAPTURES, STORES.BLOBS], "readwrite", (s) => {
    s.captures.delete(captureId);
    s.blobs.delete(IDBKeyRange.bound([captureId, ""], [captureId, "\uffff"]));
  });
}

export function putBlob(captureId, name, blob, extra = {}) {
  return transact([STORES.BLOBS], "readwrite", (s) =>
    done(s.blobs.put({ capture_id: captureId, name, blob, ...extra })),
  );
}

export function getBlob(captureId, name) {
  return transact([STORES.BLOBS], "readonly", (s) => done(s.blobs.get([captureId, name])));
}

export function listBlobs(captureId) {
  return transact([STORES.BLOBS], "readonly", (s) =>
    done(s.blobs.index("capture_id").getAll(captureId)),
  );
}

export function deleteBlobs(captureId, names) {
  return transact([STORES.BLOBS], "readwrite", (s) => {
    for (const name of names) s.blobs.delete([captureId, name]);
  });
}

/** Record a receipt; keeps the newest HISTORY_LIMIT entries. */
export function addHistory(entry) {
  return transact([STORES.HISTORY], "readwrite", async (s) => {
    s.history.put(entry);
    const keys = await done(s.history.index("uploaded_at").getAllKeys());
    for (const key of keys.slice(0, Math.max(0, keys.length - HISTORY_LIMIT))) {
      s.history.delete(key);
    }
  });
}

/** Receipts, newest first. */
export async function listHistory(limit = 50) {
  const all = await transact([STORES.HISTORY], "readonly", (s) =>
    done(s.history.index("uploaded_at").getAll()),
  );
  return all.reverse().slice(0, limit);
}
