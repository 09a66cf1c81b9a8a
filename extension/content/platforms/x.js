/*
 * X / Twitter (x.com, twitter.com, mobile.twitter.com). X marks its UI with data-testid for its
 * own tests; those names (tweet, User-Name, tweetText) have outlived several redesigns.
 */
(() => {
  const TWEET = 'article[data-testid="tweet"]';
  const TWITTER_EPOCH = 1288834974657n;

  /** {id, handle, permalink} of a status URL (/<handle>/status/<id>, /i/web/status/<id>). */
  function statusRef(href, base) {
    let url;
    try {
      url = new URL(href, base);
    } catch {
      return null;
    }
    const m = url.pathname.match(/^\/(?:i\/web|([A-Za-z0-9_]{1,15}))\/status(?:es)?\/(\d+)/);
    if (!m || m[1] === "i") return null;
    const path = m[1] ? `/${m[1]}/status/${m[2]}` : `/i/web/status/${m[2]}`;
    return { id: m[2], handle: m[1] || null, permalink: url.origin + path };
  }

  /** Milliseconds encoded in a snowflake id (every status id since late 2010). */
  function snowflakeTime(id) {
    try {
      const ms = (BigInt(id) >> 22n) + TWITTER_EPOCH;
      return ms > TWITTER_EPOCH + 86400000n ? Number(ms) : null;
    } catch {
      return null;
    }
  }

  /** Elements of the tweet itself, not of a quoted tweet (a div[role=link] card inside it). */
  function own(tweet, selector) {
    return [...tweet.querySelectorAll(selector)].filter((el) => {
      const card = el.closest('div[role="link"]');
      return !card || !tweet.contains(card);
    });
  }

  /** The tweet's own timestamp link: <a href="/<handle>/status/<id>"><time datetime>. */
  function timestamp(tweet, base) {
    for (const time of own(tweet, "a[href] time[datetime]")) {
      const ref = statusRef(time.closest("a").getAttribute("href"), base);
      if (ref) return { ref, datetime: time.getAttribute("datetime") };
    }
    return { ref: null, datetime: null };
  }

  function author(tweet, base) {
    const box = own(tweet, '[data-testid="User-Name"]')[0];
    if (!box) return {};
    // The box holds two links to the profile: the display name, then @handle.
    const link = box.querySelector('a[href^="/"]');
    const handle = link && link.getAttribute("href").split("/")[1];
    const at = [...box.querySelectorAll("span")].find((s) => /^@\w{1,15}$/.test(s.textContent));
    const name = link && link.textContent.trim() ? link : box.querySelector("span");
    return {
      name,
      handle: handle || (at && at.textContent),
      url: handle ? new URL(`/${handle}`, base).href : null,
    };
  }

  function mainTweet(doc, pageRef, base) {
    if (!pageRef) return null;
    const tweets = [...doc.querySelectorAll(TWEET)];
    // A status page also shows the thread above and replies below: pick the one it names,
    // else the focal tweet (the only one X makes focusable with tabindex=-1).
    return (
      tweets.find((t) => (timestamp(t, base).ref || {}).id === pageRef.id) ||
      doc.querySelector(`${TWEET}[tabindex="-1"]`)
    );
  }

  globalThis.SIPANSOS_PLATFORMS = globalThis.SIPANSOS_PLATFORMS || {};
  globalThis.SIPANSOS_PLATFORMS.x = {
    hosts: ["x.com", "twitter.com"],
    extract(doc, postElement) {
      const base = doc.URL;
      const pageRef = statusRef(base, base);
      const tweet = postElement ? postElement.closest(TWEET) : mainTweet(doc, pageRef, base);
      if (!tweet) {
        // Not rendered yet (or not a tweet): the status URL still names the post.
        if (postElement || !pageRef) return {};
        return {
          author_handle: pageRef.handle,
          post_id: pageRef.id,
          posted_at: snowflakeTime(pageRef.id),
          permalink: pageRef.permalink,
        };
      }
      const { ref, datetime } = timestamp(tweet, base);
      const who = author(tweet, base);
      return {
        author_name: who.name,
        author_handle: [who.handle, ref && ref.handle],
        author_url: who.url,
        post_id: ref && ref.id,
        posted_at: [datetime, ref && snowflakeTime(ref.id)],
        text: own(tweet, '[data-testid="tweetText"]')[0],
        permalink: ref && ref.permalink,
      };
    },
  };
})();
