extension PaymentPlan {
    /// Every problem of the plan, in field order (`total`, `downPayment`, `installments…`, the sum check on `total`,
    /// `graceDays`, `missesToDefault`); empty when the plan is valid.
    ///
    /// - `total`, `downPayment`, `installments[i].amount`: in ``currency`` and greater than zero.
    /// - `installments`: at least one.
    /// - `installments[0].dueDate`: on or after ``startDate``; `installments[i].dueDate` (i ≥ 1): strictly after
    ///   `installments[i-1].dueDate`.
    /// - `total`: equals ``downPayment`` (0 when absent) plus the sum of the installments, exactly. Checked only when
    ///   every amount is in ``currency`` (amounts of different currencies are never added); the message shows both
    ///   sides as ``Money/decimalString``.
    /// - `graceDays`: in ``graceDaysRange``; `missesToDefault`: in ``missesToDefaultRange``.
    public func validate() -> [PlanIssue] {
        var issues: [PlanIssue] = []
        var currenciesMatch = true

        func checkAmount(_ m: Money, field: String) {
            if m.currency != currency {
                currenciesMatch = false
                issues.append(
                    PlanIssue(field: field, message: "currency \(m.currency.code) must be the plan's currency \(currency.code)"))
            }
            if m.minor <= 0 {
                issues.append(PlanIssue(field: field, message: "\(m.decimalString) must be greater than 0"))
            }
        }

        checkAmount(total, field: "total")
        if let down = downPayment { checkAmount(down, field: "downPayment") }

        if installments.isEmpty {
            issues.append(PlanIssue(field: "installments", message: "must list at least one installment"))
        }
        for (i, inst) in installments.enumerated() {
            checkAmount(inst.amount, field: "installments[\(i)].amount")
            if i == 0 {
                if inst.dueDate < startDate {
                    issues.append(
                        PlanIssue(
                            field: "installments[0].dueDate",
                            message: "\(inst.dueDate.iso) must be on or after startDate (\(startDate.iso))"))
                }
            } else {
                let previous = installments[i - 1].dueDate
                if inst.dueDate <= previous {
                    issues.append(
                        PlanIssue(
                            field: "installments[\(i)].dueDate",
                            message: "\(inst.dueDate.iso) must be after installments[\(i - 1)].dueDate (\(previous.iso)): "
                                + "due dates increase strictly"))
                }
            }
        }

        if currenciesMatch {
            // Int128: a long schedule of large amounts must not trap while being checked.
            var scheduled = Int128(downPayment?.minor ?? 0)
            for inst in installments { scheduled += Int128(inst.amount.minor) }
            if scheduled != Int128(total.minor) {
                let sum = Money.format(minor: Int64(clamping: scheduled), exponent: currency.exponent)
                issues.append(
                    PlanIssue(
                        field: "total",
                        message: "\(total.decimalString) must equal the down payment plus the installments exactly, "
                            + "which sum to \(sum) \(currency.code)"))
            }
        }

        if !Self.graceDaysRange.contains(graceDays) {
            issues.append(
                PlanIssue(
                    field: "graceDays",
                    message: "\(graceDays) must be between \(Self.graceDaysRange.lowerBound) and "
                        + "\(Self.graceDaysRange.upperBound) (days after a due date that still count as on time)"))
        }
        if !Self.missesToDefaultRange.contains(missesToDefault) {
            issues.append(
                PlanIssue(
                    field: "missesToDefault",
                    message: "\(missesToDefault) must be between \(Self.missesToDefaultRange.lowerBound) and "
                        + "\(Self.missesToDefaultRange.upperBound) (consecutive missed installments that default the plan)"
                ))
        }
        return issues
    }
}
