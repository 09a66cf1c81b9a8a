/*
 * YouTube (www, m, youtu.be): watch pages, Shorts, and video tiles in feeds. Reads the JSON-LD
 * VideoObject and ytInitialPlayerResponse (both checked against the video id, as YouTube is a
 * single-page app and may keep them from the first video), and the ytd-* custom elements.
 */
(() => {
  const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
  // Video tiles in home, search, channel and "up next" lists, and Shorts players.
  const TILE =
    "ytd-rich-item-renderer, ytd-video-renderer, ytd-grid-video-renderer, " +
    "ytd-compact-video-renderer, ytd-reel-item-renderer, ytd-reel-video-renderer";

  function parse(href, base) {
    try {
      const url = new URL(href, base);
      return /(^|\.)(youtube\.com|youtu\.be)$/.test(url.hostname) ? url : null;
    } catch {
      return null;
    }
  }

  const originOf = (url) => (url.hostname === "youtu.be" ? "https://www.youtube.com" : url.origin);

  /** {id, permalink} of watch?v=, /shorts/, /live/, /embed/ and youtu.be/<id> URLs. */
  function videoRef(href, base) {
    const url = parse(href, base);
    if (!url) return null;
    const parts = url.pathname.split("/").filter(Boolean);
    let id = null;
    let shorts = false;
    if (url.hostname === "youtu.be") id = parts[0];
    else if (parts[0] === "watch") id = url.searchParams.get("v");
    else if (["shorts", "live", "embed", "v"].includes(parts[0])) {
      id = parts[1];
      shorts = parts[0] === "shorts";
    }
    if (!id || !VIDEO_ID.test(id)) return null;
    const origin = originOf(url);
    return { id, permalink: shorts ? `${origin}/shorts/${id}` : `${origin}/watch?v=${id}` };
  }

  /** {url, handle} of a channel link (/@handle, /channel/<id>, /c/<name>, /user/<name>), on
   * the page's origin (embedded data spells it http://www.youtube.com/…). */
  function channelRef(href, base) {
    const url = href && parse(href, base);
    if (!url) return null;
    const parts = url.pathname.split("/").filter(Boolean);
    const origin = originOf(new URL(base));
    if (parts[0] && parts[0].startsWith("@")) {
      const handle = decodeURIComponent(parts[0].slice(1));
      return { url: `${origin}/@${parts[0].slice(1)}`, handle };
    }
    if (["channel", "c", "user"].includes(parts[0]) && parts[1]) {
      return { url: `${origin}/${parts[0]}/${parts[1]}`, handle: null };
    }
    return null;
  }

  function jsonLdVideo(doc, id) {
    for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
      try {
        for (const node of [].concat(JSON.parse(script.textContent))) {
          const where = `${node.embedUrl || ""} ${node.url || ""} ${node["@id"] || ""}`;
          if ([].concat(node["@type"]).includes("VideoObject") && where.includes(id)) return node;
        }
      } catch {
        // not JSON: ignore
      }
    }
    return {};
  }

  /** The object literal starting at text[start], found by matching braces outside strings. */
  function objectAt(text, start) {
    let depth = 0;
    let quoted = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === "\\") i++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) return text.slice(start, i + 1);
    }
    return null;
  }

  /** ytInitialPlayerResponse (an inline script assignment) if it is about this video. */
  function playerResponse(doc, id) {
    for (const script of doc.querySelectorAll("script:not([src])")) {
      const text = script.textContent;
      const at = text.search(/ytInitialPlayerResponse\s*=\s*\{/);
      if (at < 0) continue;
      try {
        const data = JSON.parse(objectAt(text, text.indexOf("{", at)));
        if (data.videoDetails && data.videoDetails.videoId === id) return data;
      } catch {
        // truncated or not JSON: ignore
      }
    }
    return {};
  }

  /** Title and channel link shown for the current video (watch page or active Short). */
  function fromPage(doc) {
    const watch = doc.querySelector("ytd-watch-metadata");
    if (watch) {
      return {
        title: watch.querySelector("h1"),
        channel: watch.querySelector("#owner ytd-channel-name a, #owner a[href^='/@']"),
      };
    }
    const short = doc.querySelector("ytd-reel-video-renderer[is-active]");
    return short ? fromTile(short) : {};
  }

  function fromTile(tile) {
    return {
      link: tile.querySelector(
        "a#video-title-link, a#video-title, a#thumbnail, a[href*='/shorts/']",
      ),
      title: tile.querySelector("#video-title, h2, yt-shorts-video-title-view-model"),
      // Channel links start with /@ (or /channel/); the first with text is the channel name.
      channel: [
        ...tile.querySelectorAll("ytd-channel-name a, a[href^='/@'], a[href^='/channel/']"),
      ].find((a) => a.textContent.trim()),
    };
  }

  globalThis.SIPANSOS_PLATFORMS = globalThis.SIPANSOS_PLATFORMS || {};
  globalThis.SIPANSOS_PLATFORMS.youtube = {
    hosts: ["youtube.com", "youtu.be"],
    extract(doc, postElement) {
      const base = doc.URL;
      const tile = postElement && postElement.closest(TILE);
      // A tile in a list is its own video; anything else on a watch page belongs to the video.
      const inList = tile && !tile.hasAttribute("is-active");
      const dom = inList ? fromTile(tile) : fromPage(doc);
      const link = dom.link && dom.link.getAttribute("href");
      const ref = inList ? link && videoRef(link, base) : videoRef(base, base);
      if (!ref) return {};
      const ld = jsonLdVideo(doc, ref.id);
      const player = playerResponse(doc, ref.id);
      const details = player.videoDetails || {};
      const micro = (player.microformat || {}).playerMicroformatRenderer || {};
      const ldAuthor = typeof ld.author === "object" && ld.author ? ld.author : { name: ld.author };
      const channel = [
        dom.channel && dom.channel.getAttribute("href"),
        ldAuthor.url,
        micro.ownerProfileUrl,
        details.channelId && `/channel/${details.channelId}`,
      ]
        .map((href) => channelRef(href, base))
        .find(Boolean);
      const title = [dom.title && dom.title.textContent, ld.name, details.title]
        .map((t) => (t || "").trim())
        .find(Boolean);
      const description = details.shortDescription || ld.description || "";
      return {
        author_name: [dom.channel, ldAuthor.name, details.author, micro.ownerChannelName],
        author_handle: channel && channel.handle,
        author_url: channel && channel.url,
        post_id: ref.id,
        // publishDate was a bare date until 2023; the normaliser skips zone-less values.
        posted_at: [ld.uploadDate, ld.datePublished, micro.publishDate, micro.uploadDate],
        text: [title, description].filter(Boolean).join("\n"),
        permalink: ref.permalink,
      };
    },
  };
})();
