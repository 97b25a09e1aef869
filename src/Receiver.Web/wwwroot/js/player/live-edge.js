// @ts-check
// How far behind the newest buffered media the MSE player plays, and how it gets back there.
//
// Each picture of a 60 fps stream is shown once on a 60 Hz display only at playbackRate 1: any faster and the
// compositor skips pictures (at 1.5, one in three). So the rate stays exactly 1 while the lag is within a band
// above its target, and a lag beyond the band is worked off (a few percent faster, more the further behind, at
// most maxRate) until the target is reached again. The lag that counts is the smallest of the last second: the
// buffered end moves in bursts (with sound it is the audio's end, and sound arrives a few frames at a time), and
// catching up with the top of each burst would cost pictures without bringing the picture closer.
//
// The target is the cushion against arrival jitter and a busy machine: a playhead that reaches the buffered end,
// or an audio renderer that runs dry, stalls the element ("waiting"), and with sound Chromium then waits until its
// audio queue is full again (half a second or more), which costs far more pictures than a little lag. So the target
// starts low and adapts: each stall raises it by a step, and every calm period lowers it by a little, down to its
// floor. With sound the floor is higher: the sound arrives in bursts (AAC frames of 21 ms from the transcoder) and
// the audio renderer reads ahead of what it plays. A lag of more than a second (a long stall, a background tab) is
// left with one seek.

/**
 * @typedef {object} LiveEdgeProfile
 * @property {number} floorS  lowest target lag
 * @property {number} ceilingS  highest target lag
 * @property {number} stallStepS  target raised by this much per stall
 * @property {number} calmMs  target lowered by relaxStepS after this long without a stall
 * @property {number} relaxStepS
 * @property {number} bandS  lag above the target that is left alone
 * @property {number} gain  rate above 1 per second of lag beyond the target
 * @property {number} minStep  smallest rate above 1 used to catch up
 * @property {number} maxRate
 * @property {number} windowMs  the lag is the smallest seen over this long
 */

/** @type {LiveEdgeProfile} */
export const SILENT = {
  floorS: 0.025, ceilingS: 0.4, stallStepS: 0.03, calmMs: 2000, relaxStepS: 0.01, bandS: 0.015, gain: 1, minStep: 0.04, maxRate: 1.24, windowMs: 1000,
};

/** @type {LiveEdgeProfile} */
export const WITH_SOUND = {
  floorS: 0.1, ceilingS: 0.6, stallStepS: 0.1, calmMs: 5000, relaxStepS: 0.01, bandS: 0.06, gain: 1, minStep: 0.04, maxRate: 1.24, windowMs: 1000,
};

/**
 * For a few seconds after a viewer joins, the lag the join left (the audio renderer fills its queue before it plays)
 * is worked off faster and looked at over a shorter window: a late joiner reaches its steady lag within about a
 * second of its first picture, at the price of a few pictures skipped once.
 */
export const JOIN_BOOST = { ms: 3000, maxRate: 1.5, windowMs: 300 };

/** Behind the buffered end by more than this, the player seeks instead of speeding up. */
export const SEEK_LAG_S = 1;

export class LiveEdge {
  /** @param {LiveEdgeProfile} profile */
  constructor(profile = SILENT) {
    /** @type {LiveEdgeProfile} */
    this.profile = profile;
    this.targetS = profile.floorS;
    this.catchingUp = false;
    this.stalls = 0;
    /** @type {number | null} */
    this.calmSinceMs = null;
    /** @type {{ atMs: number, lagS: number }[]} */
    this.recent = [];
    /** @type {number | null} Until when (ms) the join boost lasts. */
    this.boostUntilMs = null;
  }

  /** Switches to another profile (the session gained or lost its sound); the target starts at its floor. @param {LiveEdgeProfile} profile */
  use(profile) {
    if (profile !== this.profile) {
      this.profile = profile;
      this.targetS = profile.floorS;
      this.catchingUp = false;
      this.calmSinceMs = null;
      this.recent = [];
    }
  }

  /** Forgets the lags seen (after a seek they say nothing about the new position). */
  restart() {
    this.catchingUp = false;
    this.recent = [];
  }

  /** The viewer joined (its first seek): forget the lags seen and catch up quickly for a while. @param {number} nowMs */
  joined(nowMs) {
    this.restart();
    this.boostUntilMs = nowMs + JOIN_BOOST.ms;
  }

  /** The element stalled while playing: raise the target. @param {number} nowMs */
  stalled(nowMs) {
    this.stalls += 1;
    this.targetS = Math.min(this.profile.ceilingS, this.targetS + this.profile.stallStepS);
    this.calmSinceMs = nowMs;
  }

  /**
   * The playbackRate for a lag (seconds between the shown picture and the buffered end), or null when the player
   * should seek to the buffered end instead.
   * @param {number} lagS
   * @param {number} nowMs  a monotonic clock (performance.now())
   * @returns {number | null}
   */
  rate(lagS, nowMs) {
    const p = this.profile;
    if (this.calmSinceMs === null) {
      this.calmSinceMs = nowMs;
    } else if (nowMs - this.calmSinceMs >= p.calmMs) {
      this.targetS = Math.max(p.floorS, this.targetS - p.relaxStepS);
      this.calmSinceMs = nowMs;
    }
    const boost = this.boostUntilMs !== null && nowMs < this.boostUntilMs;
    const windowMs = boost ? JOIN_BOOST.windowMs : p.windowMs;
    const maxRate = boost ? JOIN_BOOST.maxRate : p.maxRate;
    this.recent.push({ atMs: nowMs, lagS });
    while (this.recent.length > 1 && nowMs - this.recent[0].atMs > windowMs) {
      this.recent.shift();
    }
    // Before a whole window was seen, the smallest lag so far stands for it.
    const settledLagS = Math.min(...this.recent.map((r) => r.lagS));
    if (settledLagS > SEEK_LAG_S) {
      this.restart();
      return null;
    }
    if (settledLagS - this.targetS > p.bandS) {
      this.catchingUp = true;
    } else if (lagS <= this.targetS) {
      this.catchingUp = false;
    }
    const excess = settledLagS - this.targetS;
    if (!this.catchingUp) {
      return 1;
    }
    // In steps of 0.02: each change of rate retunes the audio renderer's time stretcher.
    return Math.min(maxRate, Math.round((1 + Math.max(p.minStep, excess * p.gain)) * 50) / 50);
  }
}
