// The playground page: a drawing pad, two inference workers (float model on the picked backend, packed binary
// model on wasm/webgpu/cpu), live top-5 while drawing, the two models compared (size, latency in this page), a
// backend picker that is remembered, and loading of one's own models. Everything slow runs in the workers; this
// thread only draws and shows results. On a first visit the workers start once the service worker is in charge,
// so what they fetch (the models, the one wasm binary this browser uses) is fetched once and kept for offline.
import { registerSW } from 'virtual:pwa-register';
import './style.css';
import { DrawingPad } from './pad.js';
import { ModelPanel } from './panel.js';
import { debounce } from './strokes.js';
import { absoluteFolderUrl, slotForFiles, slotForUrl } from './origin.js';
import { availableBackends, binaryBackendFor, modelUrlsFrom, pickerValueAfterSwitch, rememberBackend, storedBackend } from './settings.js';
import { categoriesText, comparisonText } from './compare.js';
import { announcementText, createAnnouncer } from './announce.js';
import type { BackendName, FromWorker, ModelOrigin, Prediction, Slot, ToWorker } from './protocol.js';

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

// Messages wait here until the workers exist (see start below).
const queued: Array<[Slot, ToWorker]> = [];
function send(slot: Slot, job: ToWorker): void {
  if (workers[slot]) workers[slot].postMessage(job);
  else queued.push([slot, job]);
}

// The comparison the page is for: sizes as downloaded, latencies as measured here, and the categories known.
function updateComparison(): void {
  const [float, binary] = [panels.float, panels.binary];
  $('#compare').textContent = float.info && binary.info ? comparisonText(float.info.bytes, binary.info.bytes, float.medianMs, binary.medianMs) : '';
  $('#categories').textContent = categoriesText(float.info?.classes, binary.info?.classes);
  const known = (float.info ?? binary.info)?.classes;
  if (known && known.length >= 3) $('.hint').textContent = `Draw here: ${known.slice(0, 3).join(', ')}…`;
}

// Screen readers hear the result once a stroke ended and the models answered for it, not every update.
const announcer = createAnnouncer((text) => ($('#announcer').textContent = text), 1000);
let settleId = -1;
let settled: Partial<Record<Slot, Prediction[]>> = {};
function settleOn(id: number): void {
  settleId = id;
  settled = {};
}
function noteSettled(slot: Slot, id: number, top: Prediction[]): void {
  if (id !== settleId) return;
  settled[slot] = top;
  const waitingFor = (['float', 'binary'] as const).filter((s) => panels[s].info && !settled[s]);
  if (waitingFor.length === 0) announcer.say(announcementText(settled));
}

// The picker shows what the float model runs on: a switch that failed leaves it (and the binary) where they were.
let picked: BackendName = 'wasm';
let firstFloatBackend: () => void;
const floatBackendAnswered = new Promise<void>((ok) => (firstFloatBackend = ok));

function onWorkerMessage(slot: Slot, data: FromWorker): void {
  const panel = panels[slot];
  switch (data.type) {
    case 'backend':
      panel.backend(data.backend);
      if (data.error) say(`${SLOT_NAMES[slot]}: ${data.error}. It stays on ${data.backend}.`);
      if (slot === 'float') {
        firstFloatBackend();
        const shown = pickerValueAfterSwitch(picked, data.backend, offered);
        if (data.error && shown !== picked) {
          picked = shown;
          rememberBackend(localStorage, shown);
          send('binary', { type: 'backend', backend: binaryBackendFor(shown) });
        }
        backendPicker.value = shown;
      }
      updateComparison();
      break;
    case 'loaded':
      panel.loaded(data.info);
      updateComparison();
      requestPrediction.cancel();
      if (!pad.recorder.isEmpty) {
        sendPrediction(); // the drawing so far, for the new model
        settleOn(requestId);
      }
      break;
    case 'prediction':
      if (data.id < lastShown[slot] || pad.recorder.isEmpty) return; // an older drawing's answer
      lastShown[slot] = data.id;
      panel.root.dataset.predictionId = String(data.id);
      panel.show(data.top, data.ms, data.input, data.size, data.channels);
      updateComparison();
      noteSettled(slot, data.id, data.top);
      break;
    case 'error':
      if (data.during === 'load') panel.failed(); // a failed prediction leaves the model loaded
      say(`${SLOT_NAMES[slot]}: ${data.message}`);
      break;
  }
}

function startWorker(slot: Slot): void {
  const worker = new Worker(new URL('./inference-worker.ts', import.meta.url), { type: 'module', name: `${slot} model` });
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => onWorkerMessage(slot, event.data));
  worker.addEventListener('error', (event) => say(`${SLOT_NAMES[slot]}: the inference worker failed: ${event.message || 'it could not start'}`));
  workers[slot] = worker;
  for (const [s, job] of queued.filter(([s]) => s === slot)) workers[s].postMessage(job);
}

// Backends: the float model follows the pick; the binary one runs where its XNOR kernel exists.
const backendPicker = $<HTMLSelectElement>('#backend');
const offered = availableBackends('gpu' in navigator);
for (const name of offered) backendPicker.add(new Option(name, name));
function applyBackend(name: BackendName): void {
  picked = name;
  backendPicker.value = name;
  send('float', { type: 'backend', backend: name });
  send('binary', { type: 'backend', backend: binaryBackendFor(name) });
}
backendPicker.addEventListener('change', () => {
  const name = backendPicker.value as BackendName;
  rememberBackend(localStorage, name);
  applyBackend(name);
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
      announcer.cancel();
      announcer.resume();
      requestId += 1;
      settleOn(-1);
      for (const panel of Object.values(panels)) panel.showEmpty();
      return;
    }
    requestPrediction();
    if (finished) {
      requestPrediction.flush();
      settleOn(requestId); // announce the answers to this drawing, once both came
      announcer.resume();
    } else {
      announcer.pause(); // the finger is down: nothing is said until it lifts
    }
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

let swFailed: () => void = () => {};
const swGaveUp = new Promise<void>((ok) => (swFailed = ok));
registerSW({
  immediate: true,
  onOfflineReady() {
    document.body.dataset.offline = 'ready';
    $('#offline').textContent = 'Ready to work offline.';
  },
  onRegisterError: () => swFailed(),
});

/**
 * On a first visit, wait (a few seconds at most) for the service worker to take over the page: the workers then
 * fetch the models and the wasm binary through it, once, and it keeps them for offline use (it precaches only the
 * page and its code, not what this browser may never use). Later visits are in its charge from the start.
 */
async function serviceWorkerInCharge(limitMs: number): Promise<void> {
  if (!('serviceWorker' in navigator) || navigator.serviceWorker.controller) return;
  await Promise.race([
    new Promise<void>((ok) => navigator.serviceWorker.addEventListener('controllerchange', () => ok(), { once: true })),
    swGaveUp,
    new Promise<void>((ok) => setTimeout(ok, limitMs)),
  ]);
}

// The float worker first; the binary one once the float one has its backend (the wasm binary then comes from the
// service worker's cache instead of a second download).
void serviceWorkerInCharge(8000).then(async () => {
  startWorker('float');
  await Promise.race([floatBackendAnswered, new Promise<void>((ok) => setTimeout(ok, 15_000))]);
  startWorker('binary');
});
