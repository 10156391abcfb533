import { defineEntity, int32, text, view } from './field';

/** One entry of a designer dropdown: the value is the ID, the designer shows the title. */
export const choice = defineEntity({
  name: 'choice',
  fields: {
    id: int32('ID', 'The value the input receives: the ID the PBX uses for the item.'),
    title: text('Title', 'What the designer shows for the item, e.g. the employee name and number.'),
  },
  required: ['id', 'title'],
});

export const choiceView = view(choice, 'Choice', 'An item offered in a designer dropdown.', ['id', 'title']);
