import { arrayOf, defineEntity, int32, text, view } from './field';
import { BRAND } from '../brand/texts';

/** A member of a group, as listed inside the group. */
export const groupMember = defineEntity({
  name: 'group member',
  fields: {
    contactID: int32('Member Contact ID', 'Contact ID of an employee who belongs to the group.'),
  },
  required: ['contactID'],
});

export const groupMemberRef = view(groupMember, 'GroupMember', 'An employee who belongs to a group.', ['contactID']);

/** An employee group (ring group, department). */
export const group = defineEntity({
  name: 'employee group',
  fields: {
    created: text('Created At', 'Date and time the group was created in the PBX.', { format: 'date-time' }),
    groupID: int32('Group ID', 'Unique ID of the employee group; newer groups have higher IDs.'),
    type: int32('Group Type Code', 'Numeric type of the group as set in the PBX (for example a ring group); the code list is not published (unconfirmed).'),
    name: text('Group Name', `Name of the group as shown in the ${BRAND.portal}.`),
    members: arrayOf(groupMemberRef, 'Members', 'Employees who belong to the group.'),
  },
  required: ['groupID'],
  idField: 'groupID',
});

export const groupById = view(group, 'Group', 'An employee group.', ['created', 'groupID', 'type', 'name', 'members']);

/**
 * Lists and contact memberships publish `created` without the date-time format; flows built on 1.0
 * are bound to that, so this view keeps it.
 */
export const groupInList = view(
  group,
  'GroupListItem',
  'An employee group as listed by the groups trigger and inside a contact.',
  ['created', 'groupID', 'type', 'name', 'members'],
  { created: null },
);
