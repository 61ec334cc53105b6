// Thin typing for the parts of dygraphs 2 the graph gadget uses (the package ships no types).
declare module 'dygraphs' {
  export type DygraphRow = (number | null)[];
  export interface DygraphOptions {
    labels?: string[];
    xlabel?: string;
    ylabel?: string;
    colors?: string[];
    legend?: 'always' | 'follow' | 'onmouseover' | 'never';
    labelsSeparateLines?: boolean;
    labelsDiv?: HTMLElement;
    showRangeSelector?: boolean;
    rangeSelectorHeight?: number;
    dateWindow?: [number, number] | null;
    valueRange?: [number | null, number | null] | null;
    logscale?: boolean;
    connectSeparatedPoints?: boolean;
    animatedZooms?: boolean;
    strokeWidth?: number;
    xRangePad?: number;
    yRangePad?: number;
    file?: DygraphRow[];
    axes?: {
      x?: { logscale?: boolean; valueFormatter?: (value: number) => string; axisLabelFormatter?: (value: number | Date) => string; pixelsPerLabel?: number };
      y?: { valueFormatter?: (value: number) => string; axisLabelWidth?: number };
    };
    drawCallback?: (graph: Dygraph, isInitial: boolean) => void;
    zoomCallback?: (minX: number, maxX: number, yRanges: [number, number][]) => void;
    [option: string]: unknown;
  }
  export default class Dygraph {
    static defaultInteractionModel: Record<string, unknown>;
    constructor(container: HTMLElement, data: DygraphRow[], options?: DygraphOptions);
    updateOptions(options: DygraphOptions, blockRedraw?: boolean): void;
    xAxisRange(): [number, number];
    yAxisRange(): [number, number];
    xAxisExtremes(): [number, number];
    resetZoom(): void;
    resize(width?: number, height?: number): void;
    destroy(): void;
    getArea(): { x: number; y: number; w: number; h: number };
    toDataXCoord(x: number): number;
    toDomXCoord(x: number): number;
  }
}
