/*
 * Facebook (www, m, web, mbasic). Class names are generated and change weekly, so this reads
 * ARIA roles, data-ad-* attributes (kept for ad measurement), link shapes and embedded JSON.
 */
(() => {
  // A feed unit carries aria-posinset; a post view (and the older layout) uses role=article.
  const POST_LEVEL = '[aria-posinset], [role="article"]';
  // Post text: data-ad-* markers are kept stable because ad measurement depends on them;
  // data-testid=post_message is the older desktop layout's.
  const MESSAGE =
    '[data-ad-rendering-role="story_message"], [data-ad-comet-preview="message"], ' +
    '[data-ad-preview="message"], [data-testid="post_message"]';
  // Author name: the profile_name marker (2024+), else the post header (a heading, or <strong>
  // in the mobile layouts). The first profile link there is the author; tagged people follow.
  const AUTHOR_BOX = '[data-ad-rendering-role="profile_name"], h2, h3, h4, h5, strong';
  const NOT_PROFILES = new Set([
    "bookmarks", "events", "friends", "gaming", "groups", "hashtag", "help", "l.php", "login",
    "marketplace", "messages", "notifications", "pages", "permalink.php", "photo", "photo.php",
    "policies", "privacy", "reel", "saved", "search", "settings", "share", "sharer", "stories",
    "story.php", "watch",
  ]);
  // Post URLs whose path names the post; tried in this order (a photo link is a weaker signal).
  const PATH_POSTS = [
    /^\/groups\/[^/]+\/(?:posts|permalink)\/(\d+)\/?/,
    /^\/[^/]+\/posts\/([A-Za-z0-9]+)\/?/,
    /^\/reel\/(\d+)\/?/,
    /^\/(?:[^/]+\/)?videos\/(?:[^/]+\/)?(\d+)\/?/,
    /^\/[^/]+\/photos\/(?:[^/]+\/)?(\d+)\/?/,
  ];

  function parse(href, base) {
    try {
      const url = new URL(href, base);
      return /(^|\.)facebook\.com$/.test(url.hostname) ? url : null;
    } catch {
      return null;
    }
  }

  /** {id, permalink, rank} of a post URL, without tracking parameters; null otherwise. */
  function postRef(href, base) {
    const url = parse(href, base);
    // A link carrying comment_id points at a comment under the post, not at the post.
    if (!url || url.searchParams.has("comment_id")) return null;
    const q = (k) => url.searchParams.get(k);
    if (/^\/(permalink|story)\.php$/.test(url.pathname) && q("story_fbid")) {
      const owner = q("id") ? `&id=${encodeURIComponent(q("id"))}` : "";
      const permalink = `${url.origin}${url.pathname}?story_fbid=${q("story_fbid")}${owner}`;
      return { id: q("story_fbid"), permalink, rank: 0 };
    }
    for (const [rank, pattern] of PATH_POSTS.entries()) {
      const m = url.pathname.match(pattern);
      if (m) return { id: m[1], permalink: url.origin + m[0], rank };
    }
    if (/^\/photo(\.php|\/)?$/.test(url.pathname) && q("fbid")) {
      const path = url.pathname === "/photo" ? "/photo/" : url.pathname;
      return { id: q("fbid"), permalink: `${url.origin}${path}?fbid=${q("fbid")}`, rank: 9 };
    }
    if (/^\/watch\/?$/.test(url.pathname) && q("v")) {
      return { id: q("v"), permalink: `${url.origin}/watch/?v=${q("v")}`, rank: 9 };
    }
    return null;
  }

  /** {url, handle} of a profile link (vanity, profile.php?id=, group member, /people/). */
  function profileRef(href, base) {
    const url = parse(href, base);
    if (!url) return null;
    const parts = url.pathname.split("/").filter(Boolean);
    if (url.pathname === "/profile.php" && url.searchParams.get("id")) {
      return { url: `${url.origin}/profile.php?id=${url.searchParams.get("id")}`, handle: null };
    }
    if (parts[0] === "groups" && parts[2] === "user" && parts[3]) {
      return { url: `${url.origin}/groups/${parts[1]}/user/${parts[3]}/`, handle: null };
    }
    if (parts[0] === "people" && parts.length >= 3) {
      return { url: `${url.origin}/people/${parts[1]}/${parts[2]}/`, handle: null };
    }
    if (parts.length === 1 && !NOT_PROFILES.has(parts[0].toLowerCase())) {
      return { url: `${url.origin}/${parts[0]}`, handle: parts[0] };
    }
    return null;
  }

  /** Elements of the post itself: not inside a comment (a role=article nested in the post). */
  function own(container, selector) {
    return [...container.querySelectorAll(selector)].filter((el) => {
      const article = el.parentElement && el.parentElement.closest('[role="article"]');
      return !article || article === container || !container.contains(article);
    });
  }

  /** The post's own permalink: the best-ranked post link (the timestamp link, when hovered). */
  function timestampRef(container, base) {
    let best = null;
    for (const a of own(container, "a[href]")) {
      const ref = postRef(a.getAttribute("href"), base);
      if (ref && (!best || ref.rank < best.rank)) best = ref;
    }
    return best;
  }

  /** creation_time of the post in Facebook's embedded Relay data (first page load only). */
  function relayCreationTime(doc, ref, base) {
    for (const script of doc.querySelectorAll('script[type="application/json"]')) {
      const text = script.textContent;
      if (!text.includes(ref.id) || !text.includes('"creation_time"')) continue;
      let data;
      try {
        data = JSON.parse(text);
      } catch {
        continue;
      }
      // The story's metadata object holds both creation_time and its url.
      const stack = [data];
      for (let budget = 500000; stack.length && budget > 0; budget--) {
        const node = stack.pop();
        if (!node || typeof node !== "object") continue;
        if (typeof node.creation_time === "number" && typeof node.url === "string") {
          const found = postRef(node.url, base);
          if (found && found.id === ref.id) return node.creation_time;
        }
        for (const value of Object.values(node)) {
          if (value && typeof value === "object") stack.push(value);
        }
      }
    }
    return null;
  }

  function isCommentArticle(el) {
    return el.matches('[role="article"]') && !!el.parentElement.closest(POST_LEVEL);
  }

  /** The post container around a selected element (a comment counts as its post). */
  function containerOf(element) {
    let c = element.closest(POST_LEVEL);
    while (c && isCommentArticle(c)) c = c.parentElement.closest(POST_LEVEL);
    return c;
  }

  /** The main post when nothing is selected: in an open post dialog, else in the main region. */
  function mainContainer(doc, pageRef, base) {
    if (!pageRef) return null;
    // Only a dialog that links to the post is about it (not the composer or a menu).
    const dialog = [...doc.querySelectorAll('[role="dialog"]')].find((d) =>
      d.querySelector(`a[href*="${CSS.escape(pageRef.id)}"]`),
    );
    const region = dialog || doc.querySelector('[role="main"]') || doc.body;
    const posts = [...region.querySelectorAll(POST_LEVEL)].filter((c) => !isCommentArticle(c));
    const match = posts.find((c) => (timestampRef(c, base) || {}).id === pageRef.id);
    // No link names the post (Facebook fills the timestamp href only on hover): take the first
    // post that is not a comment (a comment's links carry comment_id), else the whole region.
    return match || posts.find((c) => !own(c, 'a[href*="comment_id="]').length) || region;
  }

  function postedAt(doc, container, ref, base) {
    const utime = own(container, "[data-utime]")[0]; // abbr[data-utime]: older desktop layout
    const time = own(container, "time[datetime]")[0];
    // data-ft on m./mbasic. carries the story's publish_time.
    const ft = (container.closest("[data-ft]") || container).getAttribute("data-ft") || "";
    const publish = ft.match(/"publish_time":(\d{9,11})/);
    return [
      utime && utime.getAttribute("data-utime"),
      time && time.getAttribute("datetime"),
      publish && publish[1],
      ref ? relayCreationTime(doc, ref, base) : null,
    ];
  }

  function author(doc, container, base) {
    for (const a of own(container, `:is(${AUTHOR_BOX}) a[href]`)) {
      const ref = profileRef(a.getAttribute("href"), base);
      if (ref && a.textContent.trim()) return { name: a, ...ref };
    }
    // Feed units are labelled by their header (aria-labelledby), which holds the author name;
    // a dialog's label is its title ("Postingan Budi Santoso"), so only feed units count.
    const label = container.matches("[aria-posinset]") && container.getAttribute("aria-labelledby");
    const labelEl = label && doc.getElementById(label.split(" ")[0]);
    return { name: labelEl, url: null, handle: null };
  }

  globalThis.SIPANSOS_PLATFORMS = globalThis.SIPANSOS_PLATFORMS || {};
  globalThis.SIPANSOS_PLATFORMS.facebook = {
    hosts: ["facebook.com"],
    extract(doc, postElement) {
      const base = doc.URL;
      const pageRef = postRef(base, base);
      const main = mainContainer(doc, pageRef, base);
      // In a post dialog or permalink view the post may have no wrapper of its own (and its
      // comments are then top-level articles): anything selected there belongs to the page's post.
      const inMainView = postElement && main && main.contains(postElement);
      const container =
        !postElement || (inMainView && !main.matches(POST_LEVEL)) ? main : containerOf(postElement);
      if (!container) return {};
      const ref = timestampRef(container, base) || (container === main ? pageRef : null);
      const who = author(doc, container, base);
      return {
        author_name: who.name,
        author_handle: who.handle,
        author_url: who.url,
        post_id: ref && ref.id,
        posted_at: postedAt(doc, container, ref, base),
        text: own(container, MESSAGE)[0],
        permalink: ref && ref.permalink,
      };
    },
  };
})();
