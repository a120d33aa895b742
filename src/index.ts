/** The public embedding API: importing this module registers `<mesh-board>`. */
export { MeshBoard } from './ui/mesh-board'
export type { MeshBoardChangeDetail, MeshChangeDetail, MeshErrorDetail, MeshPeersDetail, MeshStatusDetail } from './ui/mesh-board'
export type { BoardJSON, ShapeJSON, StrokeJSON } from './model/board-json'
export { BoardImportError } from './model/board-json'
export type { ConnectionStatus } from './net/board-connection'
export type { ToolName } from './tools/tool'
