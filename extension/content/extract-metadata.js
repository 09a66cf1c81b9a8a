/*
 * Post-metadata dispatcher. Injected as a classic script after the files in platforms/, which
 * register themselves on globalThis.SIPANSOS_PLATFORMS. Defines one global:
 *
 *   sipansosExtractMetadata(doc, postElement = null) -> {
 *     platform, author_name, author_handle, author_url, post_id, posted_at, text, permalink }
 *
 * A platform's extract(doc, postElement) returns raw fields: a string, a number (epoch seconds or
 * milliseconds, for posted_at), an Element (its visible text is read), or an array of such
 * candidates in order of preference (the first that survives normalisation wins). This file does
 * all the normalising, so the platform files stay small. Pure: reads the DOM, never changes it.
 */
(() => {
  const FIELDS = [
    "author_name",
    "author_handle",
    "author_url",
    "post_id",
    "posted_at",
    "text",
    "permalink",
  ];
  const MAX_TEXT = 100000;
  const SKIP_TAGS = new Set(["script", "style", "noscript", "template", "svg", "button"]);
  const BLOCK_TAGS = new Set([
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol",
    "p", "pre", "section", "table", "td", "th", "tr", "ul",
  ]);
  // ISO-8601 date-time with an explicit zone; a zone-less time would be read as the browser's.
  const ISO_ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
  // RFC 2822 style ("Tue, 12 Nov 2024 02:15:00 GMT" / "+0700"), as some sites put in meta tags.
  const RFC_ZONED =
    /^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}(?::\d{2})? (?:GMT|UTC|[+-]\d{4})$/;

  /** Visible-ish text of an element: emoji <img alt>, no scripts or "See more" buttons. */
  function textOf(root) {
    const parts = [];
    const walk = (node, isRoot) => {
      if (node.nodeType === 3) {
        parts.push(node.data);
        return;
      }
      if (node.nodeType !== 1) return;
      const tag = node.localName;
      if (!isRoot) {
        // Skipped: hidden subtrees, and role=button ("Lihat selengkapnya" / "Show more").
        if (SKIP_TAGS.has(tag) || node.hidden) return;
        if (node.getAttribute("aria-hidden") === "true" || node.getAttribute("role") === "button") {
          return;
        }
      }
      if (tag === "img") {
        parts.push(node.getAttribute("alt") || "");
        return;
      }
      const block = BLOCK_TAGS.has(tag);
      if (block) parts.push(" ");
      for (const child of node.childNodes) walk(child, false);
      if (block) parts.push(" ");
    };
    walk(root, true);
    return parts.join("");
  }

  function cleanString(value) {
    if (value == null) return null;
    const raw = typeof value === "object" && value.nodeType ? textOf(value) : String(value);
    let text = raw.replace(/\s+/g, " ").trim();
    if (text.length > MAX_TEXT) text = text.slice(0, MAX_TEXT).replace(/[\uD800-\uDBFF]$/, "");
    return text || null;
  }

  function cleanUrl(value, base) {
    const text = cleanString(value);
    if (!text) return null;
    try {
      const url = new URL(text, base);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  /** ISO-8601 in UTC ("2024-11-12T02:15:00Z"), or null when the value has no timezone. */
  function cleanDate(value) {
    if (value == null || value === "") return null;
    let ms = null;
    const text = typeof value === "number" ? "" : String(value).trim();
    if (typeof value === "number" || /^\d{9,13}$/.test(text)) {
      const n = Number(value);
      ms = n < 1e11 ? n * 1000 : n; // epoch seconds or milliseconds
    } else if (ISO_ZONED.test(text)) {
      ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
    } else if (RFC_ZONED.test(text)) {
      ms = Date.parse(text);
    }
    if (!Number.isFinite(ms) || ms <= 0) return null;
    try {
      return new Date(ms).toISOString().replace(".000Z", "Z");
    } catch {
      return null; // out of Date's range
    }
  }

  const CLEANERS = {
    author_name: cleanString,
    author_handle: (v) => {
      const s = cleanString(v);
      return s ? s.replace(/^@+/, "") || null : null;
    },
    author_url: cleanUrl,
    post_id: cleanString,
    posted_at: cleanDate,
    text: cleanString,
    permalink: cleanUrl,
  };

  function normalise(raw, base) {
    const out = {};
    for (const field of FIELDS) {
      out[field] = null;
      const candidates = [].concat(raw && raw[field] != null ? raw[field] : []);
      for (const candidate of candidates) {
        const value = candidate == null ? null : CLEANERS[field](candidate, base);
        if (value != null) {
          out[field] = value;
          break;
        }
      }
    }
    return out;
  }

  function platformFor(hostname, registry) {
    const host = hostname.toLowerCase().replace(/\.$/, "");
    for (const [name, platform] of Object.entries(registry)) {
      if (name === "generic" || !platform || !Array.isArray(platform.hosts)) continue;
      if (platform.hosts.some((h) => host === h || host.endsWith(`.${h}`))) return name;
    }
    return null;
  }

  function safeExtract(platform, doc, element) {
    if (!platform || typeof platform.extract !== "function") return {};
    try {
      return platform.extract(doc, element) || {};
    } catch {
      return {}; // a site redesign must not break the capture itself
    }
  }

  /*
   * Page-level metadata (og:*, JSON-LD, canonical) describes the page the server first rendered:
   * single-page apps keep it after navigating, and in a feed it describes the feed. Use it for a
   * post only when it names the same post, or when there is no post to tell apart.
   */
  function sameSubject(post, page, element) {
    if (post.post_id && page.permalink) return page.permalink.includes(post.post_id);
    return !element;
  }

  function pageUrlOf(doc) {
    return (doc.location && doc.location.href) || doc.URL || "about:blank";
  }

  /** Metadata of the selected post (or of the page's main post when postElement is null). */
  globalThis.sipansosExtractMetadata = function sipansosExtractMetadata(doc, postElement = null) {
    const registry = globalThis.SIPANSOS_PLATFORMS || {};
    const base = pageUrlOf(doc);
    let element = postElement;
    if (element && element.nodeType === 3) element = element.parentElement;
    if (!element || element.nodeType !== 1) element = null;
    let hostname = "";
    try {
      hostname = new URL(base).hostname;
    } catch {
      // about:blank and the like: no platform
    }
    const name = platformFor(hostname, registry);
    const page = normalise(safeExtract(registry.generic, doc, name ? null : element), base);
    let result = page;
    if (name) {
      result = normalise(safeExtract(registry[name], doc, element), base);
      if (sameSubject(result, page, element)) {
        for (const field of FIELDS) if (result[field] == null) result[field] = page[field];
      }
    }
    if (!result.permalink && !element) result.permalink = cleanUrl(base, base);
    return { platform: name || "web", ...result };
  };
})();
