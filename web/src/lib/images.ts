// Which recorded files are pictures, and which of them are one picture over steps.
import type { FileEntry } from './api'

/** File names a browser shows as a picture. */
export const IMAGE = /\.(png|jpe?g|gif|svg|webp)$/i

/** Whether the dashboard can show the file as a picture. */
export const isImage = (f: FileEntry): boolean => IMAGE.test(f.path)

/** An image series in one run: the same file name across steps (mask-step10.png, mask-step20.png → mask-step#.png). */
export const imageSeries = (path: string): string => path.replace(/\d+(?=[^/]*$)/g, '#')

/** The same image across runs: the series' file name without the run's folder. */
export const imageName = (path: string): string => imageSeries(path.split('/').at(-1) ?? path)
