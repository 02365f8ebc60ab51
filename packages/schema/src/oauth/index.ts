// Filled by the oauth schema work; see STYLE.md §2.1.
export {}
