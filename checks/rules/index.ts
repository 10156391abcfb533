/**
 * The rule registry: one file per rule, listed here in the order findings are reported.
 * To add a rule, create `checks/rules/<id>.ts` exporting `rule` and append it below (and add
 * `test/checks/rules/<id>.test.ts`).
 */
import type { Rule } from '../rule';
import { rule as requiredPropertyMissing } from './RequiredPropertyMissing';
import { rule as fieldLengthExceeded } from './FieldLengthExceeded';
import { rule as fieldLengthNotInRange } from './FieldLengthNotInRange';
import { rule as valueContainsRestrictedWords } from './ValueContainsRestrictedWords';
import { rule as valueMustEndWithAlphanumeric } from './ValueMustEndWithAlphanumeric';
import { rule as contactEmailNotValid } from './ContactEmailNotValid';
import { rule as urlNotValid } from './UrlNotValid';
import { rule as connectorMetadataPropertiesMissing } from './ConnectorMetadataPropertiesMissing';
import { rule as invalidConnectorCategory } from './InvalidConnectorCategory';
import { rule as tooManyConnectorCategories } from './TooManyConnectorCategories';
import { rule as operationIdRequired } from './OperationIdRequired';
import { rule as operationIdNotUnique } from './OperationIdNotUnique';
import { rule as operationIdSanitized } from './OperationIdSanitized';
import { rule as operationIdPascalCase } from './operation-id-pascal-case';
import { rule as summaryRequired } from './summary-required';
import { rule as operationSummaryTooLong } from './OperationSummaryTooLong';
import { rule as restrictedCharactersInSummary } from './RestrictedCharactersInSummary';
import { rule as summaryNoTrailingPunctuation } from './summary-no-trailing-punctuation';
import { rule as descriptionRequired } from './description-required';
import { rule as descriptionEndsWithPeriod } from './description-ends-with-period';
import { rule as descriptionDiffersFromSummary } from './description-differs-from-summary';
import { rule as parameterSummaryRequired } from './parameter-summary-required';
import { rule as parameterDescriptionRequired } from './parameter-description-required';
import { rule as pathParameterMustBeRequired } from './PathParameterMustBeRequired';
import { rule as pathParameterMissingEncoding } from './PathParameterMissingEncoding';
import { rule as operationMissingPathParameter } from './OperationMissingPathParameter';
import { rule as pathParameterNotDefinedInTemplate } from './PathParameterNotDefinedInTemplate';
import { rule as propertyMustBeRequired } from './PropertyMustBeRequired';
import { rule as consumesMissing } from './ConsumesMissing';
import { rule as operationShouldHaveSuccessfulResponse } from './OperationShouldHaveSuccessfulResponse';
import { rule as schemaDefinitionSetIncorrectly } from './SchemaDefinitionSetIncorrectly';
import { rule as defaultResponseHasSchema } from './DefaultResponseHasSchema';
import { rule as operationHasManyResponsesWithSchema } from './OperationHasManyResponsesWithSchema';
import { rule as outputPropertyDisplayName } from './output-property-display-name';
import { rule as outputPropertyDescription } from './output-property-description';
import { rule as schemaReferenceNotValid } from './SchemaReferenceNotValid';
import { rule as schemaReferenceNotFound } from './SchemaReferenceNotFound';
import { rule as parameterReferenceNotValid } from './ParameterReferenceNotValid';
import { rule as parameterReferenceNotFound } from './ParameterReferenceNotFound';
import { rule as responseReferenceNotValid } from './ResponseReferenceNotValid';
import { rule as responseReferenceNotFound } from './ResponseReferenceNotFound';
import { rule as additionalPropertyNotAllowedAdjacentToRef } from './AdditionalPropertyNotAllowedAdjacentToRef';
import { rule as invalidEnumValue } from './InvalidEnumValue';
import { rule as defaultValueMustMatchType } from './DefaultValueMustMatchType';
import { rule as webhookOperationsMissingNotificationUrlProperty } from './WebhookOperationsMissingNotificationUrlProperty';
import { rule as notificationUrlNotString } from './NotificationUrlNotString';
import { rule as notificationUrlNotInternal } from './NotificationUrlNotInternal';
import { rule as notificationUrlNotRequired } from './NotificationUrlNotRequired';
import { rule as operationMustHaveNotificationContentExtension } from './OperationMustHaveNotificationContentExtension';
import { rule as webhookUnsubscribe } from './webhook-unsubscribe';
import { rule as pollingTriggerState } from './polling-trigger-state';
import { rule as triggerHintRequired } from './trigger-hint-required';
import { rule as totalOperationsCountExceedsMaxAllowed } from './TotalOperationsCountExceedsMaxAllowed';
import { rule as bodySchemaCountExceedsMaxAllowed } from './BodySchemaCountExceedsMaxAllowed';
import { rule as definitionSizeLimit } from './definition-size-limit';
import { rule as brandColor } from './brand-color';
import { rule as apiKeySecurestring } from './api-key-securestring';
import { rule as scriptOperationsExist } from './script-operations-exist';
import { rule as scriptNamespaces } from './script-namespaces';
import { rule as scriptNoHttpclient } from './script-no-httpclient';
import { rule as scriptSizeLimit } from './script-size-limit';
import { rule as scriptOperationIds } from './script-operation-ids';
import { rule as scriptHandlesOperations } from './script-handles-operations';
import { rule as scriptBrandTexts } from './script-brand-texts';
import { rule as arrayHasNoItems } from './ArrayHasNoItems';
import { rule as schemaPropertyType } from './schema-property-type';
import { rule as securityRequirementMustBeDefined } from './SecurityRequirementMustBeDefined';
import { rule as webhookTriggerLost } from './webhook-trigger-lost';
import { rule as triggerMetadataConsistent } from './trigger-metadata-consistent';
import { rule as publisherRequired } from './publisher-required';
import { rule as apiPropertiesStructure } from './api-properties-structure';
import { rule as policyTemplateKnown } from './policy-template-known';
import { rule as connectionParameterUnused } from './connection-parameter-unused';
import { rule as scriptClassName } from './script-class-name';
import { rule as scriptTruncated } from './script-truncated';
import { rule as invokedOperationShouldProduceArray } from './InvokedOperationShouldProduceArray';

export const RULES: readonly Rule[] = [
  requiredPropertyMissing,
  fieldLengthExceeded,
  fieldLengthNotInRange,
  valueContainsRestrictedWords,
  valueMustEndWithAlphanumeric,
  contactEmailNotValid,
  urlNotValid,
  connectorMetadataPropertiesMissing,
  invalidConnectorCategory,
  tooManyConnectorCategories,
  operationIdRequired,
  operationIdNotUnique,
  operationIdSanitized,
  operationIdPascalCase,
  summaryRequired,
  operationSummaryTooLong,
  restrictedCharactersInSummary,
  summaryNoTrailingPunctuation,
  descriptionRequired,
  descriptionEndsWithPeriod,
  descriptionDiffersFromSummary,
  parameterSummaryRequired,
  parameterDescriptionRequired,
  pathParameterMustBeRequired,
  pathParameterMissingEncoding,
  operationMissingPathParameter,
  pathParameterNotDefinedInTemplate,
  propertyMustBeRequired,
  consumesMissing,
  operationShouldHaveSuccessfulResponse,
  schemaDefinitionSetIncorrectly,
  arrayHasNoItems,
  schemaPropertyType,
  securityRequirementMustBeDefined,
  defaultResponseHasSchema,
  operationHasManyResponsesWithSchema,
  outputPropertyDisplayName,
  outputPropertyDescription,
  schemaReferenceNotValid,
  schemaReferenceNotFound,
  parameterReferenceNotValid,
  parameterReferenceNotFound,
  responseReferenceNotValid,
  responseReferenceNotFound,
  additionalPropertyNotAllowedAdjacentToRef,
  invokedOperationShouldProduceArray,
  invalidEnumValue,
  defaultValueMustMatchType,
  webhookOperationsMissingNotificationUrlProperty,
  notificationUrlNotString,
  notificationUrlNotInternal,
  notificationUrlNotRequired,
  operationMustHaveNotificationContentExtension,
  webhookUnsubscribe,
  webhookTriggerLost,
  pollingTriggerState,
  triggerHintRequired,
  triggerMetadataConsistent,
  totalOperationsCountExceedsMaxAllowed,
  bodySchemaCountExceedsMaxAllowed,
  definitionSizeLimit,
  brandColor,
  publisherRequired,
  apiPropertiesStructure,
  policyTemplateKnown,
  apiKeySecurestring,
  connectionParameterUnused,
  scriptClassName,
  scriptTruncated,
  scriptOperationsExist,
  scriptNamespaces,
  scriptNoHttpclient,
  scriptSizeLimit,
  scriptOperationIds,
  scriptHandlesOperations,
  scriptBrandTexts,
];
