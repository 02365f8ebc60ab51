// Filled by the wg3-01 schema work; see STYLE.md §2.1.
export {}
