// The playground page: a drawing pad, two inference workers (float model on the picked backend, packed binary
// model on wasm/cpu), live top-5 while drawing, a backend picker that is remembered, and loading of one's own
// models. Everything slow runs in the workers; this thread only draws and shows results.
import { registerSW } from 'virtual:pwa-register';
import './style.css';
import { DrawingPad } from './pad.js';
import { ModelPanel } from './panel.js';
import { debounce } from './strokes.js';
import { absoluteFolderUrl, slotForFiles, slotForUrl } from './origin.js';
import { availableBackends, binaryBackendFor, modelUrlsFrom, rememberBackend, storedBackend } from './settings.js';
import type { BackendName, FromWorker, ModelOrigin, Slot, ToWorker } from './protocol.js';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const SLOT_NAMES: Record<Slot, string> = { float: 'Float model', binary: 'Binary model' };
const DEFAULT_MODELS = { float: 'models/default/float/', binary: 'models/default/binary/' };

const message = $('#message');
function say(text: string): void {
  $('#message-text').textContent = text;
  message.hidden = false;
}
$('#dismiss').addEventListener('click', () => (message.hidden = true));

const panels: Record<Slot, ModelPanel> = { float: new ModelPanel($('#float-panel')), binary: new ModelPanel($('#binary-panel')) };
const workers = {} as Record<Slot, Worker>;
const lastShown: Record<Slot, number> = { float: 0, binary: 0 };
let requestId = 0;

function send(slot: Slot, job: ToWorker): void {
  workers[slot].postMessage(job);
}

function onWorkerMessage(slot: Slot, data: FromWorker): void {
  const panel = panels[slot];
  switch (data.type) {
    case 'backend':
      panel.backend(data.backend);
      if (data.error) say(`${SLOT_NAMES[slot]}: ${data.error}. It stays on ${data.backend}.`);
      break;
    case 'loaded':
      panel.loaded(data.info);
      requestPrediction.cancel();
      if (!pad.recorder.isEmpty) sendPrediction(); // the drawing so far, for the new model
      break;
    case 'prediction':
      if (data.id < lastShown[slot] || pad.recorder.isEmpty) return; // an older drawing's answer
      lastShown[slot] = data.id;
      panel.root.dataset.predictionId = String(data.id);
      panel.show(data.top, data.ms, data.input, data.size, data.channels);
      break;
    case 'error':
      panel.failed();
      say(`${SLOT_NAMES[slot]}: ${data.message}`);
      break;
  }
}

for (const slot of ['float', 'binary'] as const) {
  const worker = new Worker(new URL('./inference-worker.ts', import.meta.url), { type: 'module', name: `${slot} model` });
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => onWorkerMessage(slot, event.data));
  worker.addEventListener('error', (event) => say(`${SLOT_NAMES[slot]}: the inference worker failed: ${event.message || 'it could not start'}`));
  workers[slot] = worker;
}

// Backends: the float model follows the pick; the binary one runs where its XNOR kernel exists.
const backendPicker = $<HTMLSelectElement>('#backend');
const offered = availableBackends('gpu' in navigator);
for (const name of offered) backendPicker.add(new Option(name, name));
function applyBackend(picked: BackendName): void {
  backendPicker.value = picked;
  send('float', { type: 'backend', backend: picked });
  send('binary', { type: 'backend', backend: binaryBackendFor(picked) });
}
backendPicker.addEventListener('change', () => {
  const picked = backendPicker.value as BackendName;
  rememberBackend(localStorage, picked);
  applyBackend(picked);
});

function loadInto(slot: Slot, origin: ModelOrigin, what: string): void {
  panels[slot].loading(what);
  send(slot, { type: 'load', origin });
}

// Drawing: predictions follow the strokes, at most one request per 120 ms while the finger moves.
function sendPrediction(): void {
  const strokes = pad.recorder.strokes();
  if (strokes.length === 0) return;
  requestId += 1;
  document.body.dataset.requestId = String(requestId); // lets tests wait for the answer to the latest drawing
  for (const slot of ['float', 'binary'] as const) send(slot, { type: 'predict', id: requestId, strokes });
}
const requestPrediction = debounce(sendPrediction, 120);
const pad = new DrawingPad($<HTMLCanvasElement>('#pad'), {
  onChange(recorder, finished) {
    document.body.classList.toggle('has-drawing', !recorder.isEmpty);
    if (recorder.isEmpty) {
      requestPrediction.cancel();
      requestId += 1;
      for (const panel of Object.values(panels)) panel.showEmpty();
      return;
    }
    requestPrediction();
    if (finished) requestPrediction.flush();
  },
});
$('#undo').addEventListener('click', () => pad.undo());
$('#clear').addEventListener('click', () => pad.clear());

// A person's own models: picked files or a folder URL.
const filePicker = $<HTMLInputElement>('#model-files');
filePicker.addEventListener('change', () => {
  const files = Array.from(filePicker.files ?? []);
  filePicker.value = '';
  const choice = slotForFiles(files.map((f) => f.name));
  if ('error' in choice) return say(choice.error);
  message.hidden = true;
  loadInto(choice.slot, { kind: 'files', files }, 'the chosen files');
});
$<HTMLFormElement>('#url-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const field = $<HTMLInputElement>('#model-url');
  let url: string;
  try {
    url = absoluteFolderUrl(field.value, document.baseURI);
  } catch {
    return say(`"${field.value}" is not a URL`);
  }
  message.hidden = true;
  loadInto(await slotForUrl(url), { kind: 'url', url }, url);
});
$('#load-defaults').addEventListener('click', () => {
  message.hidden = true;
  for (const slot of ['float', 'binary'] as const) loadInto(slot, { kind: 'url', url: absoluteFolderUrl(DEFAULT_MODELS[slot], document.baseURI) }, 'the default model');
});

// Start: remembered backend, then the models (the defaults, or ?float=...&binary=... from the address).
applyBackend(storedBackend(localStorage, offered));
const start = modelUrlsFrom(location.search, DEFAULT_MODELS);
for (const slot of ['float', 'binary'] as const) loadInto(slot, { kind: 'url', url: absoluteFolderUrl(start[slot], document.baseURI) }, start[slot]);

registerSW({
  immediate: true,
  onOfflineReady() {
    document.body.dataset.offline = 'ready';
    $('#offline').textContent = 'Ready to work offline.';
  },
});
