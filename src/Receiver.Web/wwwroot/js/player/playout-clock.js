// A/V playout clock of the WebCodecs player. Audio and video arrive on one media timeline (microseconds) but
// through different pipelines (the audio is transcoded on the receiver, so it usually arrives later than the
// video of the same instant). MediaStreamTrackGenerators play what they are given at once, so the player
// hands every decoded item over at   performance.now() = timestamp / 1000 + delay,   where delay is the largest
// lateness (hand-over time − timestamp / 1000) seen on either track plus a small margin. The delay only grows
// (a later item raises it; audio then has one short gap) and starts afresh when the audio track is configured.
//
// avOffsetMs estimates the A/V offset as the median hand-over lateness of the audio minus that of the video
// over the recent items: how much later the audio of a media instant reaches its track than the video of the
// same instant (the output latencies of the two MediaStream sinks are not included).

const MARGIN_MS = 5;
const WINDOW = 60;

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
  }

  /** Calls release() when the item at timestampUs is due; at once if it is already late. */
  schedule(kind, timestampUs, release) {
    const now = performance.now();
    const mediaMs = timestampUs / 1000;
    const lateness = now - mediaMs;
    if (this.delayMs === null || lateness + MARGIN_MS > this.delayMs) {
      this.delayMs = lateness + MARGIN_MS;
    }
    const wait = mediaMs + this.delayMs - now;
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

  record(kind, latenessMs) {
    const list = this.handed[kind];
    list.push(latenessMs);
    if (list.length > WINDOW) {
      list.shift();
    }
  }

  /** Audio hand-over lateness minus video hand-over lateness (ms), or null before both tracks played. */
  get avOffsetMs() {
    if (this.handed.audio.length === 0 || this.handed.video.length === 0) {
      return null;
    }
    return median(this.handed.audio) - median(this.handed.video);
  }
}
