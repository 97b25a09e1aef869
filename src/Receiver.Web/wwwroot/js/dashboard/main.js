// The receiver dashboard: receiver info, and the live session list kept current by the sessions hub.
import { apiKey, getReceiver, setApiKey, UnauthorizedError } from './api.js';
import { RecordingList } from './recording-list.js';
import { SessionList } from './session-list.js';

const $ = id => document.getElementById(id);
const connection = $('connection');
const keyForm = $('api-key-form');

function showConnection(state) {
  connection.dataset.state = state;
  connection.textContent = state;
}

function handleError(error) {
  if (error instanceof UnauthorizedError || /401|Unauthorized/.test(String(error?.message))) {
    keyForm.hidden = false;
    showConnection('disconnected');
    return;
  }
  console.error(error);
}

keyForm.addEventListener('submit', event => {
  event.preventDefault();
  setApiKey($('api-key').value.trim());
  location.reload();
});

const sessions = new SessionList({
  list: $('sessions'),
  empty: $('empty'),
  template: $('session-row'),
  onError: handleError,
});

const recordings = new RecordingList({
  section: $('recordings'),
  list: $('recording-files'),
  onError: handleError,
});

async function showReceiver() {
  const receiver = await getReceiver();
  document.title = `${receiver.name} — AirPlay Web Receiver`;
  $('receiver-name').textContent = receiver.name;
  $('empty-name').textContent = receiver.name;
  $('receiver-details').textContent =
    `${receiver.deviceId} · control port ${receiver.controlPort} · mirror port ${receiver.mirrorPort} · features ${receiver.features} · v${receiver.version}`;
}

function connectHub() {
  const key = apiKey();
  const hub = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/sessions', key ? { accessTokenFactory: () => key } : {})
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: context => Math.min(10000, 500 * 2 ** context.previousRetryCount) })
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  hub.on('Snapshot', list => {
    sessions.reset(list);
    recordings.refresh();
  });
  hub.on('SessionStarted', session => sessions.upsert(session));
  hub.on('StreamStarted', message => sessions.stream(message));
  hub.on('FormatChanged', message => sessions.format(message));
  hub.on('VolumeChanged', () => {});
  hub.on('StreamEnded', () => {});
  hub.on('SessionStats', stats => sessions.stats(stats));
  hub.on('RecordingChanged', message => {
    sessions.recording(message);
    recordings.refresh();
  });
  hub.on('SessionEnded', id => sessions.remove(id));
  hub.onreconnecting(() => showConnection('reconnecting'));
  hub.onreconnected(() => showConnection('connected'));
  hub.onclose(() => showConnection('disconnected'));

  const start = async () => {
    try {
      await hub.start();
      showConnection('connected');
    } catch (error) {
      handleError(error);
      if (!(error instanceof UnauthorizedError) && !/401/.test(String(error?.message))) {
        showConnection('disconnected');
        setTimeout(start, 5000);
      }
    }
  };
  return start();
}

try {
  await showReceiver();
  await connectHub();
} catch (error) {
  handleError(error);
}
