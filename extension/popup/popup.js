// The popup: category and note, "Tangkap" (whole page) or "Pilih postingan" (element picker),
// progress, the receipt, and the queue and history.

import { CATEGORIES, DEFAULT_CATEGORY } from "../lib/categories.js";
import { MSG } from "../lib/messages.js";
import { getProgress, getSettings, watchProgress } from "../lib/storage.js";
import { ask, errorText, formatTime, localize, t } from "../lib/ui.js";

const $ = (id) => document.getElementById(id);
const view = { tabId: null, captureId: null };

async function targetTabId() {
  // Opened as a page (tests, or pinned in a tab) the target tab comes in the address.
  const fromUrl = Number(new URLSearchParams(location.search).get("tab"));
  if (fromUrl) return fromUrl;
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

function fillCategories(selected) {
  const select = $("category");
  for (const value of CATEGORIES) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = t(`category_${value}`);
    option.selected = value === selected;
    select.append(option);
  }
}

function show(id, visible) {
  $(id).hidden = !visible;
}

function showError(error) {
  $("error").textContent = error ? errorText(error) : "";
  show("error", Boolean(error));
}

function setBusy(busy) {
  $("capture").disabled = busy;
  $("pick").disabled = busy;
}

const STAGE_LABELS = {
  prepare: "stagePrepare",
  screenshot: "stageScreenshot",
  dom: "stageDom",
  page: "stagePage",
  saving: "stageSaving",
  queued: "stageQueued",
  upload: "stageUpload",
};

function percent(done, total) {
  return total ? Math.max(0, Math.min(100, Math.round((done / total) * 100))) : null;
}

function renderProgress(progress) {
  if (!progress) return;
  const mine =
    progress.capture_id === view.captureId ||
    (!progress.capture_id && progress.tab_id === view.tabId);
  if (!mine) return;
  const bar = $("progress-bar");
  if (STAGE_LABELS[progress.stage]) {
    show("progress", true);
    show("result", false);
    showError(null);
    const value =
      progress.stage === "screenshot"
        ? percent(progress.done, progress.total)
        : progress.stage === "upload"
          ? percent(progress.sent, progress.total)
          : null;
    $("progress-label").textContent =
      value === null ? t(STAGE_LABELS[progress.stage]) : `${t(STAGE_LABELS[progress.stage])} ${value}%`;
    if (value === null) bar.removeAttribute("value");
    else bar.value = value;
    setBusy(true);
    return;
  }
  show("progress", false);
  setBusy(false);
  if (progress.stage === "done") {
    renderReceipt(progress.receipt);
  } else if (progress.stage === "waiting") {
    $("error").textContent = t("popupQueuedOffline", [formatTime(progress.next_attempt_at)]);
    show("error", true);
  } else if (progress.stage === "needs_signin") {
    showError({ code: "needs_signin" });
  } else if (progress.stage === "failed" || progress.stage === "error") {
    showError(progress.error);
  }
}

function renderReceipt(receipt) {
  if (!receipt) return;
  $("receipt-id").textContent = receipt.capture_id;
  $("receipt-time").textContent = formatTime(receipt.received_at);
  $("receipt-digest").textContent = receipt.manifest_sha256;
  const link = $("receipt-link");
  link.href = receipt.evidence_url;
  show("result", true);
}

function statusLabel(status) {
  return t(`queueStatus_${status}`, undefined, status);
}

function queueItem(record) {
  const item = document.createElement("li");
  item.dataset.captureId = record.capture_id;
  item.dataset.status = record.status;
  const title = document.createElement("div");
  title.className = "title";
  title.textContent = record.title || record.url || record.capture_id;
  title.title = record.url || "";
  const meta = document.createElement("div");
  meta.className = "meta";
  const parts = [statusLabel(record.status), formatTime(record.created_at)];
  if (record.status === "queued" && record.next_attempt_at > Date.now()) {
    parts.push(t("queueNextAttempt", [formatTime(record.next_attempt_at)]));
  }
  meta.textContent = parts.filter(Boolean).join(" · ");
  item.append(title, meta);
  if (record.last_error && record.status !== "uploading") {
    const error = document.createElement("div");
    error.className = "item-error";
    error.textContent = errorText(record.last_error);
    item.append(error);
  }
  const actions = document.createElement("div");
  actions.className = "actions";
  if (record.uploadable && (record.status === "queued" || record.status === "failed")) {
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "small";
    retry.dataset.action = "retry";
    retry.textContent = t("queueRetry");
    actions.append(retry);
  }
  if (record.status !== "uploading") {
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "small";
    discard.dataset.action = "discard";
    discard.textContent = t("queueDiscard");
    actions.append(discard);
  }
  item.append(actions);
  return item;
}

function historyItem(entry) {
  const item = document.createElement("li");
  item.dataset.captureId = entry.capture_id;
  const title = document.createElement("div");
  title.className = "title";
  title.textContent = entry.title || entry.url || entry.capture_id;
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.textContent = `${formatTime(entry.receipt?.received_at || entry.uploaded_at)} · ${entry.capture_id.slice(0, 8)}`;
  const link = document.createElement("a");
  link.href = entry.receipt?.evidence_url || "#";
  link.target = "_blank";
  link.rel = "noopener noreferrer";
  link.textContent = t("popupOpenEvidence");
  item.append(title, meta, link);
  return item;
}

async function refreshLists() {
  const { queue, history } = await ask(MSG.QUEUE_LIST);
  $("queue-list").replaceChildren(...queue.map(queueItem));
  show("queue-section", queue.length > 0);
  $("history-list").replaceChildren(...history.slice(0, 10).map(historyItem));
  show("history-section", history.length > 0);
}

let refreshTimer = null;
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => refreshLists().catch(() => {}), 150);
}

async function onQueueClick(event) {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const captureId = button.closest("li").dataset.captureId;
  if (button.dataset.action === "discard" && !button.dataset.confirming) {
    // A second click confirms: a discarded capture is gone from this browser for good.
    button.dataset.confirming = "1";
    button.textContent = t("queueDiscardConfirm");
    return;
  }
  button.disabled = true;
  try {
    if (button.dataset.action === "retry") {
      view.captureId = captureId;
      await ask(MSG.QUEUE_RETRY, { capture_id: captureId });
    } else {
      await ask(MSG.QUEUE_DISCARD, { capture_id: captureId });
    }
  } catch (error) {
    showError(error.detail || { message: error.message });
  }
  await refreshLists();
}

async function start(type) {
  showError(null);
  show("result", false);
  setBusy(true);
  const payload = { tab_id: view.tabId, category: $("category").value, note: $("note").value.trim() };
  try {
    const result = await ask(type, payload);
    if (type === MSG.PICKER_START) {
      window.close(); // the operator now clicks the post on the page
      return;
    }
    view.captureId = result.capture_id;
    renderProgress(await getProgress());
  } catch (error) {
    setBusy(false);
    showError(error.detail || { message: error.message });
  }
}

async function init() {
  localize();
  view.tabId = await targetTabId();
  const settings = await getSettings();
  fillCategories(settings.lastCategory || settings.defaultCategory || DEFAULT_CATEGORY);

  const openOptions = () => chrome.runtime.openOptionsPage();
  $("open-options").addEventListener("click", openOptions);
  $("signin-button").addEventListener("click", openOptions);
  $("capture-form").addEventListener("submit", (event) => {
    event.preventDefault();
    start(MSG.CAPTURE_START);
  });
  $("pick").addEventListener("click", () => start(MSG.PICKER_START));
  $("queue-list").addEventListener("click", onQueueClick);

  watchProgress((progress) => {
    renderProgress(progress);
    refreshSoon();
  });

  const status = await ask(MSG.AUTH_STATUS);
  $("who").textContent = status.user ? status.user.full_name || status.user.username : "";
  show("signin-needed", !status.signed_in);

  // A capture of this tab that is still running (the popup was closed and opened again).
  const progress = await getProgress();
  if (progress && progress.tab_id === view.tabId && Date.now() - progress.at < 120000) {
    view.captureId = progress.capture_id;
    renderProgress(progress);
  }
  await refreshLists();
  document.body.dataset.ready = "1";
}

init();
