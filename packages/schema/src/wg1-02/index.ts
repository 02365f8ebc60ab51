// Filled by the wg1-02 schema work; see STYLE.md §2.1.
export {}
