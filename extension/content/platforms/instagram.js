/*
 * Instagram. Class names are generated; the stable signals are <article> per post, the <header>
 * with the author's profile link, the timestamp link <a href="/p/<code>/"><time datetime>, and
 * the caption (an <h1> in the post view, the first text span in a feed post).
 */
(() => {
  const NOT_PROFILES = new Set([
    "about", "accounts", "direct", "explore", "legal", "p", "reel", "reels", "stories", "tv",
  ]);

  /** {id: shortcode, permalink} of /p/<code>/, /reel/<code>/, /<user>/p/<code>/ … */
  function postRef(href, base) {
    let url;
    try {
      url = new URL(href, base);
    } catch {
      return null;
    }
    // Anchored at the end: /p/<code>/c/<comment>/ and /p/<code>/liked_by/ are not the post.
    const m = url.pathname.match(/^\/(?:[A-Za-z0-9._]+\/)?(p|reels?|tv)\/([A-Za-z0-9_-]+)\/?$/);
    if (!m || !/(^|\.)instagram\.com$/.test(url.hostname)) return null;
    const kind = m[1] === "reels" ? "reel" : m[1];
    return { id: m[2], permalink: `${url.origin}/${kind}/${m[2]}/` };
  }

  function profileRef(href, base) {
    let url;
    try {
      url = new URL(href, base);
    } catch {
      return null;
    }
    const parts = url.pathname.split("/").filter(Boolean);
    if (parts.length !== 1 || NOT_PROFILES.has(parts[0])) return null;
    return { handle: parts[0], url: `${url.origin}/${parts[0]}/` };
  }

  function timestamp(container, base) {
    for (const time of container.querySelectorAll("a[href] time[datetime]")) {
      const ref = postRef(time.closest("a").getAttribute("href"), base);
      if (ref) return { ref, datetime: time.getAttribute("datetime") };
    }
    const time = container.querySelector("time[datetime]");
    return { ref: null, datetime: time && time.getAttribute("datetime") };
  }

  function author(container, base) {
    for (const a of container.querySelectorAll("header a[href]")) {
      const ref = profileRef(a.getAttribute("href"), base);
      if (ref) return ref;
    }
    return {};
  }

  /** Caption: <h1> in the post view; in the feed, the first text span outside header, links,
   * buttons and the action/likes <section> that is not just a username link (the caption line
   * starts with one, and comes before the comments). */
  function caption(container) {
    const h1 = container.querySelector("h1");
    if (h1) return h1;
    const linkOnly = (s) =>
      [...s.querySelectorAll("a")].map((a) => a.textContent).join("").trim() ===
      s.textContent.trim();
    return [...container.querySelectorAll('span[dir="auto"]')].find(
      (s) => !s.closest('header, section, a, button, [role="button"]') && !linkOnly(s),
    );
  }

  /** Display name from og:title ("Name on Instagram: …" / "Name di Instagram: …"), but only
   * when og:url names this post: the head is not updated on in-app navigation. */
  function ogName(doc, ref, base) {
    const og = (p) => doc.querySelector(`meta[property="${p}"]`)?.getAttribute("content") || "";
    const ogRef = postRef(og("og:url"), base);
    const m = og("og:title").match(/^(.+?) (?:on|di) Instagram\b/);
    return ogRef && ref && ogRef.id === ref.id && m ? m[1] : null;
  }

  function mainPost(doc, pageRef, base) {
    if (!pageRef) return null;
    // Opened from the feed, the post shows in a dialog over it; loaded directly, in <main>.
    const regions = [...doc.querySelectorAll('[role="dialog"]'), doc.querySelector("main")];
    const articles = regions.filter(Boolean).flatMap((r) => [...r.querySelectorAll("article")]);
    const match = articles.find((a) => (timestamp(a, base).ref || {}).id === pageRef.id);
    return match || regions.find(Boolean) || null;
  }

  globalThis.SIPANSOS_PLATFORMS = globalThis.SIPANSOS_PLATFORMS || {};
  globalThis.SIPANSOS_PLATFORMS.instagram = {
    hosts: ["instagram.com"],
    extract(doc, postElement) {
      const base = doc.URL;
      const pageRef = postRef(base, base);
      const container = postElement
        ? postElement.closest("article") || postElement.closest('[role="dialog"]')
        : mainPost(doc, pageRef, base);
      if (!container) return {};
      const { ref: linkRef, datetime } = timestamp(container, base);
      const ref = linkRef || (postElement && container.closest("article") ? null : pageRef);
      const who = author(container, base);
      return {
        author_name: ogName(doc, ref, base),
        author_handle: who.handle,
        author_url: who.url,
        post_id: ref && ref.id,
        posted_at: datetime,
        text: caption(container),
        permalink: ref && ref.permalink,
      };
    },
  };
})();
