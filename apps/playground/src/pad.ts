// The drawing pad: pointer events (finger, pen, mouse) -> StrokeRecorder, drawn as they arrive. The canvas
// follows its CSS size at the device pixel ratio; strokes are kept in CSS pixels.
import { StrokeRecorder } from './strokes.js';

export interface PadOptions {
  /** Called whenever the strokes change (a point added, a stroke ended, undo, clear). */
  onChange(recorder: StrokeRecorder, finished: boolean): void;
}

export class DrawingPad {
  readonly recorder = new StrokeRecorder();
  private readonly context: CanvasRenderingContext2D;
  private pointer: number | undefined;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly options: PadOptions,
  ) {
    this.context = canvas.getContext('2d')!;
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', (e) => this.up(e));
    new ResizeObserver(() => this.resize()).observe(canvas);
    this.resize();
  }

  undo(): void {
    this.recorder.undo();
    this.pointer = undefined;
    this.redraw();
    this.options.onChange(this.recorder, true);
  }

  clear(): void {
    this.recorder.clear();
    this.pointer = undefined;
    this.redraw();
    this.options.onChange(this.recorder, true);
  }

  private position(e: PointerEvent): [number, number] {
    const box = this.canvas.getBoundingClientRect();
    return [e.clientX - box.left, e.clientY - box.top];
  }

  private down(e: PointerEvent): void {
    if (this.pointer !== undefined || (e.pointerType === 'mouse' && e.button !== 0)) return; // one finger draws
    e.preventDefault();
    this.pointer = e.pointerId;
    this.canvas.setPointerCapture?.(e.pointerId);
    const [x, y] = this.position(e);
    this.recorder.begin(x, y, e.timeStamp);
    this.drawDot(x, y);
    this.options.onChange(this.recorder, false);
  }

  private move(e: PointerEvent): void {
    if (e.pointerId !== this.pointer) return;
    e.preventDefault();
    let added = false;
    for (const event of e.getCoalescedEvents?.() ?? [e]) {
      const previous = this.lastPoint();
      const [x, y] = this.position(event);
      if (this.recorder.extend(x, y, event.timeStamp, 1.5) && previous) {
        this.drawSegment(previous[0], previous[1], x, y);
        added = true;
      }
    }
    if (added) this.options.onChange(this.recorder, false);
  }

  private up(e: PointerEvent): void {
    if (e.pointerId !== this.pointer) return;
    this.pointer = undefined;
    this.recorder.end();
    this.options.onChange(this.recorder, true);
  }

  private lastPoint(): [number, number] | undefined {
    const strokes = this.recorder.strokes();
    const last = strokes[strokes.length - 1];
    return last ? [last.xs[last.xs.length - 1]!, last.ys[last.ys.length - 1]!] : undefined;
  }

  private resize(): void {
    const ratio = window.devicePixelRatio || 1;
    const { width, height } = this.canvas.getBoundingClientRect();
    this.canvas.width = Math.max(1, Math.round(width * ratio));
    this.canvas.height = Math.max(1, Math.round(height * ratio));
    this.context.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.redraw();
  }

  private stylePen(): void {
    const ink = getComputedStyle(this.canvas).color;
    this.context.strokeStyle = ink;
    this.context.fillStyle = ink;
    this.context.lineWidth = 4;
    this.context.lineCap = 'round';
    this.context.lineJoin = 'round';
  }

  private drawDot(x: number, y: number): void {
    this.stylePen();
    this.context.beginPath();
    this.context.arc(x, y, 2, 0, Math.PI * 2);
    this.context.fill();
  }

  private drawSegment(x0: number, y0: number, x1: number, y1: number): void {
    this.stylePen();
    this.context.beginPath();
    this.context.moveTo(x0, y0);
    this.context.lineTo(x1, y1);
    this.context.stroke();
  }

  private redraw(): void {
    const ratio = window.devicePixelRatio || 1;
    this.context.clearRect(0, 0, this.canvas.width / ratio, this.canvas.height / ratio);
    for (const { xs, ys } of this.recorder.strokes()) {
      this.drawDot(xs[0]!, ys[0]!);
      for (let i = 1; i < xs.length; i++) this.drawSegment(xs[i - 1]!, ys[i - 1]!, xs[i]!, ys[i]!);
    }
  }
}
