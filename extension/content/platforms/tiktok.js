/*
 * TikTok. TikTok marks its UI with data-e2e attributes for its own end-to-end tests, and embeds
 * the video's data as JSON (__UNIVERSAL_DATA_FOR_REHYDRATION__, formerly SIGI_STATE).
 */
(() => {
  // A feed item (For You / Following) and a profile grid item.
  const ITEM = '[data-e2e="recommend-list-item-container"], [data-e2e="user-post-item"]';

  /** {id, handle, permalink} of /@<handle>/video/<id> (or /photo/<id>, m.tiktok.com/v/<id>). */
  function videoRef(href, base) {
    let url;
    try {
      url = new URL(href, base);
    } catch {
      return null;
    }
    if (!/(^|\.)tiktok\.com$/.test(url.hostname)) return null;
    const m = url.pathname.match(/^\/@([\w.-]+)\/(video|photo)\/(\d+)/);
    if (m) return { id: m[3], handle: m[1], permalink: `${url.origin}/@${m[1]}/${m[2]}/${m[3]}` };
    const short = url.pathname.match(/^\/v\/(\d+)(?:\.html)?$/);
    return short ? { id: short[1], handle: null, permalink: url.origin + short[0] } : null;
  }

  /** Seconds encoded in the top 32 bits of a TikTok video id. */
  function idTime(id) {
    try {
      const seconds = Number(BigInt(id) >> 32n);
      return seconds > 1451606400 ? seconds : null; // after 2016: ids of this shape
    } catch {
      return null;
    }
  }

  /** The itemStruct of the video, from the embedded JSON, if it is about this video. */
  function embeddedItem(doc, id) {
    for (const sel of ["#__UNIVERSAL_DATA_FOR_REHYDRATION__", "#SIGI_STATE"]) {
      const script = doc.querySelector(`script${sel}`);
      if (!script) continue;
      try {
        const data = JSON.parse(script.textContent);
        const scope = data.__DEFAULT_SCOPE__ || {};
        const detail = scope["webapp.video-detail"];
        const item =
          (detail && detail.itemInfo && detail.itemInfo.itemStruct) ||
          (data.ItemModule && data.ItemModule[id]);
        // After in-app navigation this JSON still describes the first video loaded.
        if (item && String(item.id) === id) return item;
      } catch {
        // not JSON: ignore
      }
    }
    return null;
  }

  function fromItem(item) {
    if (!item) return {};
    const user = typeof item.author === "object" && item.author ? item.author : {};
    return {
      author_name: user.nickname || item.nickname,
      author_handle: user.uniqueId || (typeof item.author === "string" ? item.author : null),
      posted_at: item.createTime,
      text: item.desc,
    };
  }

  /** Video page (or the browse view opened over the feed): data-e2e="browse-*" elements. */
  function fromBrowse(doc) {
    const nickname = doc.querySelector('[data-e2e="browser-nickname"]');
    return {
      // "Nama · 11-12": the first span is the name, the rest a relative date.
      author_name: nickname && (nickname.querySelector("span") || nickname),
      author_handle: doc.querySelector('[data-e2e="browse-username"]'),
      text: doc.querySelector('[data-e2e="browse-video-desc"], [data-e2e="video-desc"]'),
    };
  }

  function fromItemElement(item, base) {
    const link = [...item.querySelectorAll("a[href]")]
      .map((a) => videoRef(a.getAttribute("href"), base))
      .find(Boolean);
    // The player wrapper's id ("xgwrapper-0-<video id>") names the video when no link does.
    const wrapper = item.querySelector('[id^="xgwrapper-"]');
    const wrapperId = wrapper && (wrapper.id.match(/-(\d{15,})$/) || [])[1];
    return {
      ref: link || (wrapperId ? { id: wrapperId, handle: null, permalink: null } : null),
      author_name: item.querySelector('[data-e2e="video-author-nickname"]'),
      author_handle: item.querySelector('[data-e2e="video-author-uniqueid"]'),
      text: item.querySelector('[data-e2e="video-desc"]'),
    };
  }

  globalThis.SIPANSOS_PLATFORMS = globalThis.SIPANSOS_PLATFORMS || {};
  globalThis.SIPANSOS_PLATFORMS.tiktok = {
    hosts: ["tiktok.com"],
    extract(doc, postElement) {
      const base = doc.URL;
      const item = postElement && postElement.closest(ITEM);
      let ref = videoRef(base, base);
      let dom;
      if (item) {
        dom = fromItemElement(item, base);
        ref = dom.ref;
      } else if (ref) {
        dom = fromBrowse(doc);
      } else {
        return {};
      }
      const data = ref ? fromItem(embeddedItem(doc, ref.id)) : {};
      const handle = [data.author_handle, dom.author_handle, ref && ref.handle];
      const firstHandle = handle.map((h) => (h && h.nodeType ? h.textContent : h)).find(Boolean);
      const cleanHandle = firstHandle ? firstHandle.trim().replace(/^@/, "") : null;
      const origin = new URL(base).origin;
      const built = ref && cleanHandle ? `${origin}/@${cleanHandle}/video/${ref.id}` : null;
      const permalink = (ref && ref.permalink) || built;
      return {
        author_name: [data.author_name, dom.author_name],
        author_handle: cleanHandle,
        author_url: cleanHandle ? `${origin}/@${cleanHandle}` : null,
        post_id: ref && ref.id,
        posted_at: [data.posted_at, ref && idTime(ref.id)],
        text: [data.text, dom.text],
        permalink,
      };
    },
  };
})();
