// Power Apps: OnSelect of a "Call" button. Add the Zvanu Parvaldnieks connector as a data source
// first; the data source name is ZvanuParvaldnieks. txtNumber is a text input with the number to
// call; the employee's contact ID comes from the signed-in user's row in an Employees collection
// (fill it with the "Get contact by ID" action or type the ID). The PBX rings the employee's phone
// first, then connects it to the number.
// Separators: this file uses those of en-US. In a decimal-comma language such as Latvian (lv-LV),
// Power Apps shows and expects `;` between arguments and record fields and `;;` between chained
// formulas, e.g. `Dial({destination: Trim(txtNumber.Text); contactID: 12});; Notify("…")`.
If(
    IsBlank(txtNumber.Text),
    Notify("Type a number to call.", NotificationType.Warning),
    IfError(
        ZvanuParvaldnieks.Dial({destination: Trim(txtNumber.Text), contactID: Value(LookUp(Employees, Email = User().Email).contactID)});
        Notify("Your phone will ring first; answer it to be connected to " & txtNumber.Text & ".", NotificationType.Success),
        Notify("The call could not be started: " & FirstError.Message, NotificationType.Error)
    )
)
