// @ts-check
// The shapes of what the dashboard receives: REST answers (src/Receiver.Web/Api) and the sessions hub's messages
// (src/Receiver.Web/Hubs/ISessionsClient.cs). Types only; nothing here runs.

/**
 * POST /api/sessions/{id}/view-links and POST /api/view-links (ViewLink.cs).
 * @typedef {object} ViewLink
 * @property {string} url  the viewer page with its token
 * @property {string} token
 * @property {string} expiresAt
 */

/**
 * GET /api/receiver (ReceiverInfo.cs).
 * @typedef {object} ReceiverInfo
 * @property {string} name
 * @property {string} deviceId
 * @property {string} model
 * @property {string} sourceVersion
 * @property {string} features
 * @property {number} controlPort
 * @property {number} mirrorPort
 * @property {string} version
 * @property {number} sessions
 * @property {AccessInfo} access
 * @property {HttpsInfo | null} https
 */

/**
 * The HTTPS listener (HttpsInfo.cs); null when HTTPS is off.
 * @typedef {object} HttpsInfo
 * @property {string} url
 * @property {number} port
 * @property {string} fingerprint  SHA-256, colon-separated hex
 * @property {string} notAfter
 * @property {boolean} selfSigned
 */

/**
 * Who may mirror (AccessInfo.cs).
 * @typedef {object} AccessInfo
 * @property {'pin' | 'password' | 'approve' | 'open'} mode
 * @property {boolean} rememberSenders
 */

/**
 * GET /api/senders, one trusted sender (TrustedSenderInfo.cs).
 * @typedef {object} TrustedSender
 * @property {string} deviceId
 * @property {string | null} name
 * @property {string | null} model
 * @property {string | null} publicKey
 * @property {string} method  'pin', 'approval' or 'allowList'
 * @property {string} addedAt
 * @property {string} lastSeenAt
 */

/**
 * GET /api/senders/pending, one sender waiting for approval (PendingSenderInfo.cs).
 * @typedef {object} PendingSender
 * @property {string} requestId
 * @property {string} deviceId
 * @property {string | null} name
 * @property {string | null} model
 * @property {string} address
 * @property {string} requestedAt
 */

/**
 * The PIN to show (PinOverlayMessage.cs): GET /api/access/pin, hub PinRequested, the PIN feed's 'pin' event.
 * @typedef {object} PinOverlayMessage
 * @property {string} pin
 * @property {string} deviceName
 * @property {string} expiresAt
 */

/**
 * A session's throughput, about once a second (SessionStats.cs).
 * @typedef {object} SessionStats
 * @property {string} sessionId
 * @property {number} fps
 * @property {number} bitrateBps
 * @property {number} frames
 * @property {number} bytes
 * @property {number} dropped
 * @property {number} viewers
 * @property {number | null} latencyMs
 */

/**
 * A live session (SessionSummary.cs): hub Snapshot and SessionStarted.
 * @typedef {object} SessionSummary
 * @property {string} id
 * @property {string | null} senderName
 * @property {string | null} senderModel
 * @property {string} protocol
 * @property {string} startedAt
 * @property {string | null} codec
 * @property {number | null} width
 * @property {number | null} height
 * @property {number} viewers
 * @property {SessionStats} stats
 * @property {boolean} recording
 * @property {string} [kind]  'mirror' or 'video' (a cast)
 * @property {CastInfo | null} [cast]  the cast video, for 'video' sessions
 */

/**
 * A cast video as the API shows it (CastInfo.cs).
 * @typedef {object} CastInfo
 * @property {string} host
 * @property {string | null} title
 * @property {string} media  'file' or 'hls'
 * @property {string} state  loading, playing, paused, ended or "failed: reason"
 * @property {number} position
 * @property {number} rate
 * @property {number} duration
 * @property {number} proxiedSegments  HLS segment requests the receiver's proxy served
 */

/**
 * Hub CastStarted and CastStateChanged (CastMessage.cs): host, title and media only in CastStarted.
 * @typedef {object} CastMessage
 * @property {string} sessionId
 * @property {string | null} host
 * @property {string | null} title
 * @property {string | null} media
 * @property {string} state
 * @property {number} position
 * @property {number} rate
 * @property {number} duration
 */

/**
 * Hub StreamStarted (StreamStartedMessage.cs).
 * @typedef {object} StreamStartedMessage
 * @property {string} sessionId
 * @property {string} kind  'video' or 'audio'
 * @property {string | null} codec
 * @property {number} width
 * @property {number} height
 * @property {number | null} [fps]
 */

/**
 * Hub SenderNotice (SenderNoticeMessage.cs): a sender asked for something not served as asked.
 * @typedef {object} SenderNoticeMessage
 * @property {string | null} sessionId
 * @property {string} kind  protectedContent, ptpTiming, remoteControlOnly or castRefused
 * @property {string} remote
 * @property {string | null} deviceId
 * @property {string} detail
 */

/**
 * Hub FormatChanged (FormatChangedMessage.cs).
 * @typedef {object} FormatChangedMessage
 * @property {string} sessionId
 * @property {string} codec
 * @property {number} width
 * @property {number} height
 */

/**
 * Hub WebRtcChanged and GET /api/webrtc (WebRtcStatus.cs): Janus's state and each live session's WebRTC side.
 * @typedef {object} WebRtcStatus
 * @property {'off' | 'reachable' | 'unreachable'} janus
 * @property {number} viewers  WebRTC viewers relayed now, over all sessions
 * @property {WebRtcSessionStatus[]} sessions
 */

/**
 * @typedef {object} WebRtcSessionStatus
 * @property {string} sessionId
 * @property {boolean} mountpoint  the session's stream is up in Janus
 * @property {number | null} mountpointId
 * @property {number} viewers  WebRTC viewers of this session
 */

/**
 * Hub RecordingChanged (RecordingChangedMessage.cs).
 * @typedef {object} RecordingChangedMessage
 * @property {string} sessionId
 * @property {boolean} recording
 * @property {string[]} files
 * @property {string | null} reason  why it stopped: requested, session-ended, shutdown, max-bytes, disk-full, write-failed
 * @property {number} bytes
 */

/**
 * POST/DELETE /api/sessions/{id}/capture (CaptureInfo.cs).
 * @typedef {object} CaptureInfo
 * @property {string} sessionId
 * @property {boolean} recordingPackets
 * @property {boolean} complete
 * @property {string} startedAt
 * @property {string | null} packetsFrom
 * @property {number} controlEntries
 * @property {number} packetEntries
 * @property {number} droppedControlEntries
 * @property {number} droppedPacketEntries
 * @property {string} download
 */

/**
 * GET /api/recordings, one file (RecordingInfo.cs).
 * @typedef {object} RecordingFile
 * @property {string} name
 * @property {number} bytes
 * @property {string} modifiedAt
 * @property {boolean} active
 */

export {};
