// Post metadata from the page's extractor, checked against what the server accepts (an invalid
// value would make the server refuse the whole capture).

export const PLATFORMS = Object.freeze([
  "facebook",
  "instagram",
  "x",
  "tiktok",
  "youtube",
  "whatsapp",
  "telegram",
  "web",
  "other",
]);

const TEXT_LIMITS = { author_name: 500, author_handle: 200, post_id: 200, text: 100000 };
const ISO_AWARE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

function text(value, limit) {
  if (value === null || value === undefined) return null;
  const string = String(value).trim();
  return string ? string.slice(0, limit) : null;
}

function httpUrl(value, base) {
  if (!value) return null;
  try {
    const url = new URL(String(value), base);
    return (url.protocol === "http:" || url.protocol === "https:") && url.href.length <= 8000
      ? url.href
      : null;
  } catch {
    return null;
  }
}

function awareDate(value) {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "string" && ISO_AWARE.test(value.trim())) return value.trim();
  const date =
    typeof value === "number"
      ? new Date(value < 1e12 ? value * 1000 : value)
      : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** {platform, post} for the manifest from the extractor's raw result. */
export function cleanMetadata(raw, pageUrl) {
  const meta = raw && typeof raw === "object" ? raw : {};
  const platform = PLATFORMS.includes(meta.platform) ? meta.platform : "web";
  const post = {
    author_name: text(meta.author_name, TEXT_LIMITS.author_name),
    author_handle: text(meta.author_handle, TEXT_LIMITS.author_handle),
    author_url: httpUrl(meta.author_url, pageUrl),
    post_id: text(meta.post_id, TEXT_LIMITS.post_id),
    posted_at: awareDate(meta.posted_at),
    text: text(meta.text, TEXT_LIMITS.text),
    permalink: httpUrl(meta.permalink, pageUrl),
  };
  return { platform, post };
}
