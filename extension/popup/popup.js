// The popup: category, case and note, "Tangkap" (whole page) or "Pilih postingan" (element
// picker), progress, the receipt, and the queue and history.

import { categoryLabel, DEFAULT_CATEGORY } from "../lib/categories.js";
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

function fillCategories(categories, selected) {
  const select = $("category");
  const codes = categories.map((category) => category.code);
  const chosen = codes.includes(selected) ? selected : codes.includes(DEFAULT_CATEGORY) ? DEFAULT_CATEGORY : codes[0];
  for (const category of categories) {
    const option = document.createElement("option");
    option.value = category.code;
    option.textContent = categoryLabel(category, t);
    option.selected = category.code === chosen;
    select.append(option);
  }
}

// ---- the case picker: no case (default), attach to an open case, or start a new one ----------

/** "#12 · 002/Reg/… · Title (Draf)": what the list and the receipt show for a case. */
function caseText(item) {
  const parts = [`#${item.id}`];
  if (item.number) parts.push(item.number);
  parts.push(item.title);
  return `${parts.join(" · ")} (${item.state_label})`;
}

let caseSearchTimer = null;
let caseSearchSeq = 0;

async function loadCases(query = "") {
  const seq = ++caseSearchSeq;
  const status = $("case-list-status");
  let answer;
  try {
    answer = await ask(MSG.CASES_LIST, { query });
  } catch (error) {
    if (seq !== caseSearchSeq) return;
    $("case-list").replaceChildren();
    status.textContent = errorText(error.detail || { message: error.message });
    status.hidden = false;
    return;
  }
  if (seq !== caseSearchSeq) return; // an older search answered late
  const list = $("case-list");
  const selected = list.value;
  list.replaceChildren(
    ...answer.cases.map((item) => {
      const option = document.createElement("option");
      option.value = String(item.id);
      option.textContent = caseText(item);
      option.title = option.textContent;
      option.selected = option.value === selected;
      return option;
    }),
  );
  const notes = [];
  if (!answer.cases.length) notes.push(t(query ? "caseNoMatch" : "caseNoneOpen"));
  if (answer.source === "cache") notes.push(t("caseListCached", [formatTime(answer.at)]));
  status.textContent = notes.join(" ");
  status.hidden = !notes.length;
}

function onCaseModeChange() {
  const mode = $("case-mode").value;
  show("case-attach", mode === "attach");
  show("case-new", mode === "new");
  if (mode === "attach" && !$("case-list").options.length) loadCases($("case-search").value.trim());
  if (mode === "new") $("case-title").focus();
}

function onCaseSearch() {
  clearTimeout(caseSearchTimer);
  caseSearchTimer = setTimeout(() => loadCases($("case-search").value.trim()), 250);
}

/** The popup's case choice for the background, or undefined when it is incomplete. */
function caseChoice() {
  const mode = $("case-mode").value;
  if (mode === "attach") {
    const option = $("case-list").selectedOptions[0];
    return option ? { case_id: Number(option.value), label: option.textContent } : undefined;
  }
  if (mode === "new") {
    return { new_case: { title: $("case-title").value.trim(), category: $("category").value } };
  }
  return null;
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
    renderReceipt(progress.receipt, progress.case_error);
  } else if (progress.stage === "waiting") {
    $("error").textContent = t("popupQueuedOffline", [formatTime(progress.next_attempt_at)]);
    show("error", true);
  } else if (progress.stage === "needs_signin") {
    showError({ code: "needs_signin" });
  } else if (progress.stage === "failed" || progress.stage === "error") {
    showError(progress.error);
  }
}

function renderReceipt(receipt, localCaseError = null) {
  if (!receipt) return;
  $("receipt-id").textContent = receipt.capture_id;
  $("receipt-time").textContent = formatTime(receipt.received_at);
  $("receipt-digest").textContent = receipt.manifest_sha256;
  const link = $("receipt-link");
  link.href = receipt.evidence_url;
  const linked = receipt.case;
  if (linked) {
    $("receipt-case-label").textContent = t(linked.created ? "receiptCaseNew" : "receiptCaseAttached");
    $("receipt-case-link").textContent = caseText(linked);
    $("receipt-case-link").href = linked.url;
  }
  show("receipt-case", Boolean(linked));
  const caseError = receipt.case_error || localCaseError;
  $("receipt-case-error").textContent = caseError ? caseErrorText(caseError) : "";
  show("receipt-case-error", Boolean(caseError));
  show("result", true);
}

/** Why the case part of an upload was not done; the capture itself is stored. */
function caseErrorText(error) {
  const code = String(error.code || "").replace(/[^a-z0-9_]/gi, "_");
  const reason = (code && chrome.i18n.getMessage(`caseErr_${code}`)) || error.message || code;
  return t("receiptCaseError", [reason]);
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
  const caseNote = queuedCaseText(record);
  if (caseNote) {
    const line = document.createElement("div");
    line.className = "meta case";
    line.textContent = caseNote;
    item.append(line);
  }
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

function queuedCaseText(record) {
  if (record.case_request?.case_id) return t("queueCaseAttach", [record.case_label || `#${record.case_request.case_id}`]);
  if (record.case_request?.new_case) return t("queueCaseNew", [record.case_request.new_case.title || "…"]);
  return "";
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
  if (entry.receipt?.case) {
    const caseLink = document.createElement("a");
    caseLink.className = "case-link";
    caseLink.href = entry.receipt.case.url;
    caseLink.target = "_blank";
    caseLink.rel = "noopener noreferrer";
    caseLink.textContent = caseText(entry.receipt.case);
    item.append(" · ", caseLink);
  }
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
  const chosenCase = caseChoice();
  if (chosenCase === undefined) {
    showError({ code: "case_not_chosen" });
    $("case-list").focus();
    return;
  }
  setBusy(true);
  const payload = {
    tab_id: view.tabId,
    category: $("category").value,
    note: $("note").value.trim(),
    case: chosenCase,
  };
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
  const { categories } = await ask(MSG.CATEGORIES_LIST);
  fillCategories(categories, settings.lastCategory || settings.defaultCategory || DEFAULT_CATEGORY);
  $("case-mode").addEventListener("change", onCaseModeChange);
  $("case-search").addEventListener("input", onCaseSearch);

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
