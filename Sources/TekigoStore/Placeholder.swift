enum _TekigoStorePlaceholder {}
