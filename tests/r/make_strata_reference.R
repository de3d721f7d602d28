# Frozen R references for the stratified and Breslow statistics (tests/stats/test_cox.py, test_logrank.py).
# Run from the repository root (R >= 4.2, survival >= 3.5; Debian: apt-get install r-base-core r-cran-survival):
#   Rscript tests/r/make_strata_reference.R > tests/r/strata_reference.json
# Input: tests/r/strata_input.csv (written by tests/r/make_strata_input.py): a centre-pooled table with
# heavy ties (whole days), 6 strata of unequal size, one stratum without events, a 3-level group.
suppressPackageStartupMessages(library(survival))
num <- function(x) ifelse(is.na(x) | is.infinite(x), "null", formatC(x, digits = 17, format = "g"))
d <- read.csv("tests/r/strata_input.csv")
out <- list()
for (ties in c("efron", "breslow")) {
  plain <- coxph(Surv(time, event) ~ x, data = d, ties = ties)
  strat <- coxph(Surv(time, event) ~ x + strata(centre), data = d, ties = ties)
  for (fit in list(list("plain", plain), list("strata", strat))) {
    f <- fit[[2]]
    out[[length(out) + 1]] <- sprintf('"cox_%s_%s": {"beta": %s, "se": %s, "loglik": %s}', fit[[1]], ties,
                                      num(coef(f)), num(sqrt(vcov(f)[1, 1])), num(f$loglik[2]))
  }
}
for (rho in c(0, 1)) {
  for (g in c("x", "group")) {
    plain <- survdiff(as.formula(paste("Surv(time, event) ~", g)), data = d, rho = rho)
    strat <- survdiff(as.formula(paste("Surv(time, event) ~", g, "+ strata(centre)")), data = d, rho = rho)
    out[[length(out) + 1]] <- sprintf('"survdiff_%s_rho%d": {"chisq": %s, "strata_chisq": %s, "observed": [%s], "expected": [%s]}',
                                      g, rho, num(plain$chisq), num(strat$chisq),
                                      paste(num(plain$obs), collapse = ", "), paste(num(plain$exp), collapse = ", "))
  }
}
cat("{\n", sprintf('"R": "%s", "survival": "%s",\n', R.version.string, packageVersion("survival")),
    paste(out, collapse = ",\n"), "\n}\n", sep = "")
