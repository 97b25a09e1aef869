// A/V playout clock of the WebCodecs player. Audio and video arrive on one media timeline (microseconds) but
// through different pipelines (the audio is transcoded on the receiver, so it usually arrives later than the
// video of the same instant). MediaStreamTrackGenerators play what they are given at once, so the player
// hands every decoded item over at   performance.now() = timestamp / 1000 + delay,   where delay is the largest
// lateness (hand-over time − timestamp / 1000) seen on either track plus a small margin. The delay only grows
// (a later item raises it; audio then has one short gap) and starts afresh when the audio track is configured.
// A video frame reaches the screen some time after its hand-over (compositing, the next vsync); that display
// delay is measured from requestVideoFrameCallback and audio is handed over that much later too.
//
// avOffsetMs estimates the A/V offset: the median lateness of the audio at hand-over minus that of the video at
// display (at hand-over while no display times are known), over the recent items. The audio sink's own output
// latency is not included.

const MARGIN_MS = 5;
const WINDOW = 60;
const DISPLAY_STEP_MS = 4;

function median(values) {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export class PlayoutClock {
  constructor() {
    this.reset();
  }

  reset() {
    this.delayMs = null;
    this.handed = { audio: [], video: [] };
    this.displayed = [];
    this.displayDelayMs = 0;
  }

  /** Calls release() when the item at timestampUs is due; at once if it is already late. */
  schedule(kind, timestampUs, release) {
    const now = performance.now();
    const mediaMs = timestampUs / 1000;
    const lateness = now - mediaMs;
    if (this.delayMs === null || lateness + MARGIN_MS > this.delayMs) {
      this.delayMs = lateness + MARGIN_MS;
    }
    const wait = mediaMs + this.delayMs + (kind === 'audio' ? this.displayDelayMs : 0) - now;
    const handOver = () => {
      this.record(kind, performance.now() - mediaMs);
      release();
    };
    if (wait <= 1) {
      handOver();
    } else {
      setTimeout(handOver, wait);
    }
  }

  /** The video frame at timestampUs is shown at displayMs (performance time). */
  onVideoDisplayed(timestampUs, displayMs) {
    PlayoutClock.push(this.displayed, displayMs - timestampUs / 1000);
    if (this.handed.video.length === 0) {
      return;
    }
    const delay = Math.max(0, median(this.displayed) - median(this.handed.video));
    if (Math.abs(delay - this.displayDelayMs) > DISPLAY_STEP_MS) {
      this.displayDelayMs = delay;
    }
  }

  record(kind, latenessMs) {
    PlayoutClock.push(this.handed[kind], latenessMs);
  }

  static push(list, value) {
    list.push(value);
    if (list.length > WINDOW) {
      list.shift();
    }
  }

  /** Audio lateness at hand-over minus video lateness at display (ms), or null before both tracks played. */
  get avOffsetMs() {
    const video = this.displayed.length > 0 ? this.displayed : this.handed.video;
    if (this.handed.audio.length === 0 || video.length === 0) {
      return null;
    }
    return median(this.handed.audio) - median(video);
  }
}
