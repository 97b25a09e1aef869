// Browser APIs the player uses that TypeScript's lib.dom does not declare (Chromium only):
// MediaStreamTrackGenerator (mediacapture-transform, Chromium's shape) turns VideoFrames or AudioData
// written to its stream into a MediaStreamTrack.

interface MediaStreamTrackGeneratorInit {
  kind: 'audio' | 'video';
}

interface MediaStreamTrackGenerator<T extends VideoFrame | AudioData = VideoFrame | AudioData> extends MediaStreamTrack {
  readonly writable: WritableStream<T>;
}

declare var MediaStreamTrackGenerator: {
  prototype: MediaStreamTrackGenerator;
  new (init: { kind: 'video' }): MediaStreamTrackGenerator<VideoFrame>;
  new (init: { kind: 'audio' }): MediaStreamTrackGenerator<AudioData>;
  new (init: MediaStreamTrackGeneratorInit): MediaStreamTrackGenerator;
};
