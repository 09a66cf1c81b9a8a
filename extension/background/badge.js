// The toolbar badge: "…" while capturing, the number of captures waiting, "!" when one needs
// the operator (sign in again, or a refused capture).

import { listCaptures } from "../lib/db.js";

const action = () => globalThis.chrome?.action;

export async function showBusy(busy) {
  if (!action()) return;
  if (busy) {
    await action().setBadgeBackgroundColor({ color: "#2c6fbb" });
    await action().setBadgeText({ text: "…" });
  } else {
    await refreshBadge();
  }
}

export async function refreshBadge() {
  if (!action()) return;
  const records = await listCaptures();
  const attention = records.some((r) => r.status === "failed" || r.status === "needs_signin");
  const waiting = records.filter((r) => r.status === "queued" || r.status === "uploading").length;
  if (attention) {
    await action().setBadgeBackgroundColor({ color: "#c0392b" });
    await action().setBadgeText({ text: "!" });
  } else if (waiting) {
    await action().setBadgeBackgroundColor({ color: "#d68910" });
    await action().setBadgeText({ text: String(waiting) });
  } else {
    await action().setBadgeText({ text: "" });
  }
}
