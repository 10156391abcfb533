import { arrayOf, defineEntity, int32, text, view } from './field';
import { groupInList } from './group';
import { BRAND } from '../brand/texts';

/** An employee ("contact") of the company's virtual PBX. */
export const contact = defineEntity({
  name: 'employee',
  fields: {
    current_callerid: text('Current Caller ID', 'Number shown to the other party when this employee calls out (the caller ID currently selected).', { nullable: true }),
    archived: int32('Archived Flag', '1 when the employee is archived (no longer active in the PBX), 0 when active (unconfirmed).'),
    firstname: text('First Name', "Employee's first (given) name."),
    lastname: text('Last Name', "Employee's last (family) name."),
    created: text('Created At', 'Date and time the employee was added to the PBX.'),
    number: text('Employee Phone Number', "Employee's mobile phone number in the PBX."),
    contactID: int32('Contact ID', `Unique ID of the employee (contact) in ${BRAND.product}; newer employees have higher IDs.`),
    group_membership: arrayOf(groupInList, 'Group Memberships', 'Employee groups this employee belongs to, each with its members.'),
    avatar: text('Avatar URL', "Link to the employee's profile picture; empty when none is set (unconfirmed).", { nullable: true }),
  },
  required: ['contactID'],
  idField: 'contactID',
});

export const contactView = view(contact, 'Contact', 'An employee of the virtual PBX.', [
  'current_callerid', 'archived', 'firstname', 'lastname', 'created', 'number', 'contactID', 'group_membership', 'avatar',
]);
