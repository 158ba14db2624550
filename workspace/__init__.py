"""The session's workspace (borders in force, imported layers, the layout or scenario), the planner's
view and its link, and the store of saved workspaces. Used by the pages and the CLI only."""
