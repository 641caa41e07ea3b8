enum _TekigoReportsPlaceholder {}
