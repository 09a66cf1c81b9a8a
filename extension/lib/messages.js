// Message types exchanged between the extension's parts. Content scripts are classic scripts and
// cannot import this module: the background passes the types they need as arguments when it
// injects them.

export const MSG = Object.freeze({
  // popup / options → background
  CAPTURE_START: "CAPTURE_START",
  PICKER_START: "PICKER_START",
  QUEUE_LIST: "QUEUE_LIST",
  QUEUE_RETRY: "QUEUE_RETRY",
  QUEUE_DISCARD: "QUEUE_DISCARD",
  AUTH_STATUS: "AUTH_STATUS",
  AUTH_SIGN_IN: "AUTH_SIGN_IN",
  AUTH_SIGN_IN_TOKEN: "AUTH_SIGN_IN_TOKEN",
  AUTH_SIGN_OUT: "AUTH_SIGN_OUT",
  SERVER_CHECK: "SERVER_CHECK",
  CASES_LIST: "CASES_LIST",
  CATEGORIES_LIST: "CATEGORIES_LIST",
  // content script (element picker) → background
  PICKER_RESULT: "PICKER_RESULT",
  PICKER_CANCEL: "PICKER_CANCEL",
  // background → offscreen document
  OFFSCREEN_RENDER: "OFFSCREEN_RENDER",
  OFFSCREEN_HASH: "OFFSCREEN_HASH",
  OFFSCREEN_UPLOAD: "OFFSCREEN_UPLOAD",
  // offscreen document → background
  UPLOAD_PROGRESS: "UPLOAD_PROGRESS",
});

// Who may send what: page content scripts only report the element picker's outcome.
export const CONTENT_SCRIPT_MESSAGES = Object.freeze([MSG.PICKER_RESULT, MSG.PICKER_CANCEL]);

// Messages meant for the offscreen document only; the background's router ignores them.
export const OFFSCREEN_MESSAGES = Object.freeze([
  MSG.OFFSCREEN_RENDER,
  MSG.OFFSCREEN_HASH,
  MSG.OFFSCREEN_UPLOAD,
]);
