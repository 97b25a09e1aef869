// @ts-check
// A/V playout clock of the WebCodecs player. Audio and video arrive on one media timeline (microseconds) but
// through different pipelines (each track has its own path through the receiver and the page's decoders, so one
// usually arrives later than the other for the same instant). MediaStreamTrackGenerators play what they are given
// at once, so the player hands every decoded item over at   performance.now() = timestamp / 1000 + offset,   where
// offset covers the largest lateness (hand-over time − timestamp / 1000) seen on either track plus a small margin.
// The offset relates two clocks with unrelated origins (media time counts from the session's first picture,
// performance.now from the page's load), so it is no duration and may be any sign; what the clock costs is
// measured separately as the time each item is held (playoutDelayMs, never negative).
//
// A later item raises the offset at once (audio then has one short gap). After a stall the offset would stay
// high for good, so it also comes back down: once every item of the last RECOVERY_WINDOW_MS arrived at least
// RECOVERY_SLACK_MS inside the offset, each new audio item is dropped and the offset lowered by its duration until
// it fits again (small excesses are not worth an audible skip). For the first STARTUP_MS after the first item
// (a new page, a new audio track) the same happens on a short window (STARTUP_WINDOW_MS, STARTUP_SLACK_MS): the
// first items are the latest of all (the decoders warm up, a late joiner's decoder works through the GOP so far),
// and the clock must settle at the live edge within a second instead of keeping their lateness for seconds. The
// same holds after a stall: when nothing arrived on either track for STALL_GAP_MS, the items held up on the way come
// late all at once, and the clock settles again on the short window. Items already scheduled keep their times and
// later ones queue behind them (each track stays in order), so the sound skips the dropped stretch seamlessly and
// video catches up, instead of audio being played faster or piling up in the sink.
// A video frame reaches the screen some time after its hand-over (compositing, the next vsync); that display
// delay is measured from requestVideoFrameCallback and audio is handed over that much later too.
//
// avOffsetMs estimates the A/V offset: the median lateness of the audio at hand-over minus that of the video at
// display (at hand-over while no display times are known), over the items of the last ESTIMATE_WINDOW_MS of
// wall-clock time (the same span for both tracks). For SETTLE_MS after the offset changes the tracks are in the
// middle of a gap or a skip, so the last settled estimate is kept. The audio sink's own output latency is not
// included.

const MARGIN_MS = 5;
const ESTIMATE_WINDOW_MS = 300;
const MAX_SAMPLES = 240;
const DISPLAY_STEP_MS = 4;
const RECOVERY_WINDOW_MS = 4000;
const RECOVERY_SLACK_MS = 40;
const STARTUP_MS = 2000;
const STARTUP_WINDOW_MS = 250;
const STARTUP_SLACK_MS = 10;
const SETTLE_MS = 600;
const STALL_GAP_MS = 250;

/** @typedef {'audio' | 'video'} Track */
/** @typedef {{ at: number, value: number }} Sample */

/** @param {Sample[]} samples */
function median(samples) {
  if (samples.length === 0) {
    return NaN;
  }
  const sorted = samples.map((s) => s.value).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export class PlayoutClock {
  // Each set again by reset().
  /** @type {number | null} Hand-over time (performance.now, ms) minus media time (ms); null before the first item. */
  offsetMs = null;
  /** @type {Record<Track, Sample[]>} How long items were held between scheduling and hand-over (ms). */
  held = { audio: [], video: [] };
  /** @type {Record<Track, Sample[]>} Lateness at hand-over per track. */
  handed = { audio: [], video: [] };
  /** @type {Sample[]} Video lateness at display. */
  displayed = [];
  /** @type {number} */
  displayDelayMs = 0;
  /** @type {{ at: number, lateness: number }[]} */
  arrivals = [];
  /** @type {number} */
  grownAt = 0;
  /** @type {number | null} When the first item after reset() (or after a stall) arrived. */
  startedAt = null;
  /** @type {number | null} When the last item arrived. */
  lastArrivalAt = null;
  /** @type {number} */
  changedAt = 0;
  /** @type {number | null} */
  settledOffsetMs = null;
  /** @type {number} */
  audioSkipped = 0;

  /**
   * @param {() => number} now  the clock in milliseconds (performance.now)
   * @param {(callback: () => void, ms: number) => unknown} timer  calls back after ms (setTimeout)
   */
  constructor(now = () => performance.now(), timer = (f, ms) => setTimeout(f, ms)) {
    this.now = now;
    this.timer = timer;
    // Items waiting for their hand-over, per track, in arrival (= media) order; one timer per track.
    /** @type {Record<Track, { due: number, handOver: () => void }[]>} */
    this.queues = { audio: [], video: [] };
    this.timerSet = { audio: false, video: false };
    this.reset();
  }

  reset() {
    this.offsetMs = null;
    this.handed = { audio: [], video: [] };
    this.held = { audio: [], video: [] };
    this.displayed = [];
    this.displayDelayMs = 0;
    this.arrivals = [];
    this.grownAt = this.now();
    this.startedAt = null;
    this.lastArrivalAt = null;
    this.changedAt = this.now();
    this.settledOffsetMs = null;
    this.audioSkipped = 0;
  }

  /**
   * Calls release() when the item at timestampUs is due; at once if it is already late. For an audio item,
   * durationUs and discard() let the clock drop it instead, to bring the offset down after a stall.
   * @param {Track} kind
   * @param {number} timestampUs
   * @param {() => void} release
   * @param {number} [durationUs]
   * @param {(() => void) | null} [discard]
   */
  schedule(kind, timestampUs, release, durationUs = 0, discard = null) {
    const now = this.now();
    if (this.lastArrivalAt !== null && now - this.lastArrivalAt > STALL_GAP_MS) {
      // Nothing arrived on either track for a while: the network or the sender stalled, and what was held up now
      // arrives late all at once. That lateness is the stall's, not the path's usual jitter: settle again as at
      // the start, on the short window.
      this.startedAt = now;
    }
    this.lastArrivalAt = now;
    this.startedAt ??= now;
    const mediaMs = timestampUs / 1000;
    const lateness = now - mediaMs;
    this.arrivals.push({ at: now, lateness });
    while (this.arrivals.length > 0 && this.arrivals[0].at < now - RECOVERY_WINDOW_MS) {
      this.arrivals.shift();
    }
    if (this.offsetMs === null || lateness + MARGIN_MS > this.offsetMs) {
      this.offsetMs = lateness + MARGIN_MS;
      this.grownAt = now;
      this.changedAt = now;
    } else if (kind === 'audio' && discard && durationUs > 0 && this.canShrink(now, durationUs / 1000)) {
      this.offsetMs -= durationUs / 1000;
      this.changedAt = now;
      this.audioSkipped += 1;
      discard();
      return;
    }
    const due = mediaMs + this.offsetMs + (kind === 'audio' ? this.displayDelayMs : 0);
    this.queues[kind].push({
      due,
      handOver: () => {
        const handedAt = this.now();
        this.record(kind, handedAt - mediaMs);
        this.push(this.held[kind], Math.max(0, handedAt - now));
        release();
      },
    });
    this.drain(kind);
  }

  /** Hands over the track's items that are due, in order; an item never overtakes an earlier one. @param {Track} kind */
  drain(kind) {
    const queue = this.queues[kind];
    while (queue.length > 0 && queue[0].due - this.now() <= 1) {
      /** @type {{ handOver: () => void }} */ (queue.shift()).handOver();
    }
    if (queue.length > 0 && !this.timerSet[kind]) {
      this.timerSet[kind] = true;
      this.timer(() => {
        this.timerSet[kind] = false;
        this.drain(kind);
      }, queue[0].due - this.now());
    }
  }

  /** True when the offset has been larger than anything needed for a whole recovery window by more than stepMs. */
  /** @param {number} now @param {number} stepMs */
  canShrink(now, stepMs) {
    const startup = this.startedAt !== null && now - this.startedAt < STARTUP_MS;
    const span = startup ? STARTUP_WINDOW_MS : RECOVERY_WINDOW_MS;
    if (now - this.grownAt < span) {
      return false;
    }
    let worst = -Infinity;
    for (const arrival of this.arrivals) {
      if (arrival.at >= now - span) {
        worst = Math.max(worst, arrival.lateness);
      }
    }
    return (this.offsetMs ?? 0) - stepMs >= worst + MARGIN_MS + (startup ? STARTUP_SLACK_MS : RECOVERY_SLACK_MS);
  }

  /** The video frame at timestampUs is shown at displayMs (performance time). @param {number} timestampUs @param {number} displayMs */
  onVideoDisplayed(timestampUs, displayMs) {
    this.push(this.displayed, displayMs - timestampUs / 1000);
    if (this.handed.video.length === 0) {
      return;
    }
    const delay = Math.max(0, median(this.displayed) - median(this.handed.video));
    if (Math.abs(delay - this.displayDelayMs) > DISPLAY_STEP_MS) {
      this.displayDelayMs = delay;
    }
  }

  /** @param {Track} kind @param {number} latenessMs */
  record(kind, latenessMs) {
    this.push(this.handed[kind], latenessMs);
  }

  /** @param {Sample[]} list @param {number} value */
  push(list, value) {
    const now = this.now();
    list.push({ at: now, value });
    while (list.length > MAX_SAMPLES || (list.length > 1 && list[0].at < now - ESTIMATE_WINDOW_MS)) {
      list.shift();
    }
  }

  /**
   * The playout delay: how long the clock held the video frames of the last ESTIMATE_WINDOW_MS between their
   * decoding and their hand-over to the screen (median, ms), i.e. what lip sync costs the picture; never negative.
   * null before the first frame was handed over.
   */
  get playoutDelayMs() {
    return this.held.video.length > 0 ? median(this.held.video) : null;
  }

  /** Audio lateness at hand-over minus video lateness at display (ms), or null before both tracks played. */
  get avOffsetMs() {
    const video = this.displayed.length > 0 ? this.displayed : this.handed.video;
    if (this.handed.audio.length === 0 || video.length === 0 || this.now() - this.changedAt < SETTLE_MS) {
      return this.settledOffsetMs;
    }
    this.settledOffsetMs = median(this.handed.audio) - median(video);
    return this.settledOffsetMs;
  }
}
